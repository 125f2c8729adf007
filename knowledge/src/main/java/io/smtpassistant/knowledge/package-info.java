/**
 * Troubleshooting knowledge as data: diagnoses, reply rules, provider presets, the tree and its
 * texts, with their loader and validator.
 *
 * <p>Everything here is {@link org.jspecify.annotations.NullMarked}: a type is non-null unless it
 * says {@link org.jspecify.annotations.Nullable}. NullAway checks it at compile time.
 */
@NullMarked
package io.smtpassistant.knowledge;

import org.jspecify.annotations.NullMarked;
