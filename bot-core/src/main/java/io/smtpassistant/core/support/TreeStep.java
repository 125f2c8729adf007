package io.smtpassistant.core.support;

/**
 * One step the user took through the troubleshooting tree: the question's node id from the knowledge
 * tree and the answer the user gave (the choice's id or the text typed).
 */
public record TreeStep(String nodeId, String answer) {

    public TreeStep {
        nodeId = Texts.oneLine("nodeId", nodeId, 200, false);
        answer = Texts.limit("answer", answer == null ? "" : answer, 2_000);
    }
}
