package io.smtpassistant.slack;

import io.smtpassistant.core.check.CheckReport;
import io.smtpassistant.core.check.CheckSettings;

/**
 * Runs a support request's check again for the support team. The password was never stored, so the
 * check runs without login: the settings' username is kept only to say that AUTH was skipped. The
 * app supplies the guarded live checker. Blocking; called on a virtual thread.
 */
@FunctionalInterface
public interface RerunCheck {

    CheckReport check(CheckSettings settings, String providerId);
}
