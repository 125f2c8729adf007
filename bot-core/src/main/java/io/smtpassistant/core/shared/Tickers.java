package io.smtpassistant.core.shared;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;

/** Caffeine's time from the injected clock, so expiry is tested by moving a fake clock. */
final class Tickers {

    private Tickers() {
    }

    static Ticker of(Clock clock) {
        return () -> clock.millis() * 1_000_000L;
    }
}
