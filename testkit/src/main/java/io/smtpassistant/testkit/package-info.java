/**
 * Test support shared by every module, used in test scope.
 *
 * <ul>
 *   <li>{@link io.smtpassistant.testkit.ScriptedSmtpServer}: a real SMTP server on 127.0.0.1 that plays scripted
 *       provider replies ({@link io.smtpassistant.testkit.Verb}), offers STARTTLS or implicit TLS, checks AUTH
 *       credentials, misbehaves on purpose ({@link io.smtpassistant.testkit.Misbehavior}) and records what the
 *       client sent ({@link io.smtpassistant.testkit.ReceivedCommand}, {@link io.smtpassistant.testkit.ReceivedMessage}).</li>
 *   <li>{@link io.smtpassistant.testkit.TestPki}: a certificate authority made at test time, with valid, expired
 *       and self-signed server contexts and the CA as PEM or trust store for clients.</li>
 *   <li>{@link io.smtpassistant.testkit.RecordingHttpServer}: a loopback HTTP server that records requests and
 *       answers as scripted (Slack Web API, Bot Connector).</li>
 *   <li>{@link io.smtpassistant.testkit.FakeZendesk}: a recording Zendesk account (tickets, comments,
 *       {@code Idempotency-Key} on creation, {@code external_id} lookup) that can answer 429 with
 *       {@code Retry-After}, 5xx, hang or refuse connections.</li>
 *   <li>{@link io.smtpassistant.testkit.WebhookReceiver}: a receiver of the support webhooks that verifies the
 *       signature and de-duplicates by event id, with the same faults.</li>
 * </ul>
 */
package io.smtpassistant.testkit;
