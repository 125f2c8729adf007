package io.smtpassistant.core.engine;

/** One step of the way through the troubleshooting tree: the node and what the user answered there ("" for none). */
public record PathStep(String node, String answer) {
}
