/**
 * Support requests: the hand-over of a case the bot could not solve to the support team.
 *
 * <p>The public face is small: the records {@link io.smtpassistant.core.support.SupportRequest},
 * {@link io.smtpassistant.core.support.NewSupportRequest}, {@link io.smtpassistant.core.support.CheckSnapshot}
 * and their parts; the store SPI {@link io.smtpassistant.core.support.SupportRequestStore} with its
 * outcomes {@link io.smtpassistant.core.support.Transition}; {@link io.smtpassistant.core.support.SupportRequestStores}
 * to open the configured store; {@link io.smtpassistant.core.support.SupportJson} for the JSON form;
 * {@link io.smtpassistant.core.support.SupportLinkStore} (from {@code store.links()}) for the links of
 * requests to the chat threads where they are talked about.
 * The JDBC implementation is package-private.
 *
 * <p>Typical use by the conversation runtime (on a virtual thread, outside any conversation lock):
 * <pre>{@code
 * SupportRequestStore store = SupportRequestStores.fromEnvironment(System.getenv()).open();
 * SupportRequest r = store.create(NewSupportRequest.of(requester, summary, settings, lastReport, path, note, clock.instant()));
 * // only now tell the user r.id(): create returned, so the request is committed
 * }</pre>
 *
 * <p>Nothing here can hold a {@link io.smtpassistant.core.check.Secret}: settings are kept as
 * {@link io.smtpassistant.core.check.CheckSettings} and check transcripts are already redacted.
 */
package io.smtpassistant.core.support;
