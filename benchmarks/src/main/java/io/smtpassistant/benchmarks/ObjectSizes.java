package io.smtpassistant.benchmarks;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Exact object sizes from the JVM, for the memory harness's per-object breakdown. Needs the
 * benchmarks jar as a Java agent ({@code -javaagent:benchmarks/target/benchmarks.jar}, its manifest
 * names {@link #premain}); without it {@link #available()} is false and the harness prints only the
 * heap measurement. The agent opens {@code java.base} to this code so the walk can read the fields
 * of strings, lists and optionals; it is for measuring only and changes nothing else.
 *
 * <p>"Owned" bytes are what one object graph adds on top of a reference graph: every object
 * reachable from the roots that is not reachable from the shared ones (the knowledge, another
 * conversation built the same way). Strings from knowledge files, enum constants and the locale are
 * shared by every conversation and so cost an idle conversation nothing.
 */
public final class ObjectSizes {

    private static volatile Instrumentation instrumentation;

    private ObjectSizes() {
    }

    /** Called by the JVM for {@code -javaagent:benchmarks.jar}. */
    public static void premain(String args, Instrumentation inst) {
        Module base = Object.class.getModule();
        Module us = ObjectSizes.class.getModule();
        if (inst.isModifiableModule(base)) {
            Map<String, Set<Module>> opens = base.getPackages().stream()
                    .collect(Collectors.toMap(p -> p, p -> Set.of(us)));
            inst.redefineModule(base, Set.of(), Map.of(), opens, Set.of(), Map.of());
        }
        instrumentation = inst;
    }

    public static boolean available() {
        return instrumentation != null;
    }

    /** The shallow size of one object, as this JVM lays it out. */
    public static long shallow(Object o) {
        return instrumentation().getObjectSize(o);
    }

    /** Every object reachable from the roots (classes, class loaders, modules and threads are not followed). */
    public static Set<Object> reachable(Object... roots) {
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Object> pending = new ArrayDeque<>();
        for (Object root : roots) {
            push(root, seen, pending);
        }
        while (!pending.isEmpty()) {
            Object o = pending.pop();
            for (Object child : children(o)) {
                push(child, seen, pending);
            }
        }
        return seen;
    }

    /**
     * The bytes each part adds, in order: a part is a list of roots (the list itself not counted);
     * every object is counted once, at the first part that reaches it, and none that {@code shared}
     * reaches.
     */
    public static List<Long> owned(Set<Object> shared, List<List<?>> parts) {
        Set<Object> counted = Collections.newSetFromMap(new IdentityHashMap<>());
        counted.addAll(shared);
        List<Long> sizes = new ArrayList<>();
        for (List<?> roots : parts) {
            long bytes = 0;
            Deque<Object> pending = new ArrayDeque<>();
            for (Object root : roots) {
                push(root, counted, pending);
            }
            while (!pending.isEmpty()) {
                Object o = pending.pop();
                bytes += shallow(o);
                for (Object child : children(o)) {
                    push(child, counted, pending);
                }
            }
            sizes.add(bytes);
        }
        return sizes;
    }

    private static void push(Object o, Set<Object> seen, Deque<Object> pending) {
        if (o == null || o instanceof Class<?> || o instanceof ClassLoader || o instanceof Module || o instanceof Thread) {
            return;
        }
        if (seen.add(o)) {
            pending.push(o);
        }
    }

    private static List<Object> children(Object o) {
        Class<?> type = o.getClass();
        List<Object> out = new ArrayList<>();
        if (type.isArray()) {
            if (!type.getComponentType().isPrimitive()) {
                for (int i = 0, n = Array.getLength(o); i < n; i++) {
                    out.add(Array.get(o, i));
                }
            }
            return out;
        }
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
                    continue;
                }
                try {
                    f.setAccessible(true);
                    out.add(f.get(o));
                } catch (InaccessibleObjectException | IllegalAccessException e) {
                    throw new IllegalStateException("cannot read " + c.getName() + "." + f.getName()
                            + "; run with -javaagent:benchmarks/target/benchmarks.jar so that java.base is opened", e);
                }
            }
        }
        return out;
    }

    private static Instrumentation instrumentation() {
        Instrumentation inst = instrumentation;
        if (inst == null) {
            throw new IllegalStateException("object sizes need the agent: add -javaagent:benchmarks/target/benchmarks.jar");
        }
        return inst;
    }
}
