package io.smtpassistant.core.support.channel;

import io.smtpassistant.core.check.Secret;
import io.smtpassistant.core.support.NewSupportRequest;
import io.smtpassistant.core.support.OutboxRelay;
import io.smtpassistant.core.support.RequestStatus;
import io.smtpassistant.core.support.Requester;
import io.smtpassistant.core.support.SupportEvent;
import io.smtpassistant.core.support.SupportOutbox;
import io.smtpassistant.core.support.SupportRequest;
import io.smtpassistant.core.support.SupportRequestStore;
import io.smtpassistant.core.support.SupportRequestStores;
import io.smtpassistant.core.support.SupportWorkflow;
import io.smtpassistant.core.support.TreeStep;
import io.smtpassistant.knowledge.Knowledge;
import jakarta.mail.internet.InternetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The process {@link SupportChannelsKillTest} kills: the real store (PostgreSQL), the workflow and the
 * outbox relay with the Zendesk, e-mail and webhook channels, pointed at the receivers in the test's
 * JVM. In {@code work} mode it changes requests at a steady pace until it is killed (or has made
 * {@code maxEvents} events in all); in {@code drain} mode it only relays until nothing is undelivered.
 *
 * <p>Arguments: {@code mode jdbcUrl schema zendeskUrl zendeskEmail zendeskToken smtpPort webhookUrl
 * webhookSecret seed maxEvents}. Prints {@code READY} once the relay runs and (in work mode) the run's first
 * change is committed, {@code DRAINED} at the end
 * of a drain. {@code train} mode makes {@code maxEvents} changes, drains and exits normally: the
 * test's training run for the child's AOT cache.
 */
public final class KillChild {

    static final String CANARY = "Canary-5e1b7d-P@ss";

    private KillChild() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        // the knowledge loads while the store connects and migrates: a restart should be quick
        java.util.concurrent.CompletableFuture<Knowledge> knowledge = java.util.concurrent.CompletableFuture.supplyAsync(Knowledge::load);
        SupportRequestStore store = SupportRequestStores.postgres(args[1]).schema(args[2]).open();
        Evidence evidence = new Evidence(knowledge.join(), Locale.ENGLISH);
        Clock clock = Clock.systemUTC();
        Duration timeout = Duration.ofSeconds(2);
        OutboxRelay relay = OutboxRelay.builder(store).clock(clock).owner("child-" + ProcessHandle.current().pid())
                .lease(Duration.ofMillis(800)).maxAttempts(10_000).backoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .pollInterval(Duration.ofMillis(25))
                .channel(new ZendeskChannel(new ZendeskChannel.Settings(URI.create(args[3]), args[4], Secret.of(args[5])),
                        evidence, clock, timeout))
                .channel(new EmailChannel(new EmailChannel.Settings("127.0.0.1", Integer.parseInt(args[6]),
                        EmailChannel.Security.NONE, "", Optional.empty(), new InternetAddress("smtp-assistant@example.com"),
                        new InternetAddress("support@example.com")), evidence, timeout))
                .channel(new WebhookChannel(new WebhookChannel.Settings(URI.create(args[7]), Secret.of(args[8])), evidence,
                        clock, timeout))
                .build();
        relay.start();
        if (mode.equals("drain")) {
            System.out.println("READY");
            System.out.flush();
            drain(store.outbox(), relay);
            return;
        }
        SupportWorkflow workflow = SupportWorkflow.builder(store).clock(clock).build();
        Random random = new Random(Long.parseLong(args[9]));
        int maxEvents = Integer.parseInt(args[10]);
        if (mode.equals("train")) {
            // the same code paths as a work run, then a normal exit (the JVM writes its AOT cache at exit)
            for (int i = 0; i < maxEvents; i++) {
                step(workflow, store.list(Optional.empty(), 1000), random);
                relay.wake();
            }
            drain(store.outbox(), relay);
            return;
        }
        long events = store.list(Optional.empty(), 1000).stream().mapToLong(r -> store.outbox().events(r.id()).size()).sum();
        boolean ready = false; // READY = working: the relay runs and this run's first change is committed
        while (true) {
            if (events >= maxEvents) {
                if (!ready) {
                    System.out.println("READY");
                    System.out.flush();
                    ready = true;
                }
                TimeUnit.SECONDS.sleep(60); // enough events: only relay until killed
                continue;
            }
            step(workflow, store.list(Optional.empty(), 1000), random);
            events++; // most steps make one event; the cap only bounds the test's size
            if (!ready) {
                System.out.println("READY");
                System.out.flush();
                ready = true;
            }
            relay.wake();
            TimeUnit.MILLISECONDS.sleep(5); // a steady pace of changes, as users and agents make them
        }
    }

    private static void step(SupportWorkflow workflow, List<SupportRequest> requests, Random random) {
        SupportEvent.Actor agent = new SupportEvent.Actor("cli", "agent" + random.nextInt(3), "Agent " + random.nextInt(3));
        if (requests.isEmpty() || random.nextInt(5) == 0) {
            Requester who = new Requester("slack", "U" + random.nextInt(1_000_000), "Requester " + random.nextInt(100),
                    "requester" + random.nextInt(100) + "@customer.example", "T0CUSTOMER");
            workflow.open(new NewSupportRequest(who, "Login refused", ChannelFixtures.request().settings(),
                    Optional.of(ChannelFixtures.snapshot()), List.of(new TreeStep("shared-mailbox", "no")),
                    "it worked yesterday; my password is " + CANARY, Clock.systemUTC().instant()));
            return;
        }
        SupportRequest r = requests.get(random.nextInt(requests.size()));
        SupportEvent.Actor requester = r.requester().asActor();
        switch (random.nextInt(7)) {
            case 0 -> workflow.claim(r.id(), agent, random.nextBoolean());
            case 1 -> workflow.agentMessage(r.id(), agent, "Please check <https://aka.ms/smtp|this> & retry");
            case 2 -> workflow.requesterMessage(r.id(), requester, "Still failing, password: " + CANARY);
            case 3 -> workflow.resolve(r.id(), agent, random.nextBoolean() ? "" : "Send As granted");
            case 4 -> workflow.release(r.id(), agent);
            case 5 -> workflow.askRecheck(r.id(), agent);
            default -> {
                if (r.status() == RequestStatus.RESOLVED) {
                    workflow.reopen(r.id(), agent);
                } else {
                    workflow.agentMessage(r.id(), agent, "Looking into it");
                }
            }
        }
    }

    private static void drain(SupportOutbox outbox, OutboxRelay relay) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end) {
            List<SupportOutbox.Entry> left = outbox.undelivered(20);
            if (left.isEmpty()) {
                System.out.println("DRAINED");
                System.out.flush();
                System.exit(0);
            }
            if (left.stream().anyMatch(e -> e.state() == SupportOutbox.State.PARKED)) {
                left.forEach(e -> System.out.println("UNDELIVERED " + e));
                System.exit(1);
            }
            relay.wake();
            TimeUnit.MILLISECONDS.sleep(50);
        }
        outbox.undelivered(20).forEach(e -> System.out.println("UNDELIVERED " + e));
        System.exit(1);
    }
}
