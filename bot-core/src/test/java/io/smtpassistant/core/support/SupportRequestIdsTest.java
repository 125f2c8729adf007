package io.smtpassistant.core.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SupportRequestIdsTest {

    @Test
    void anIdIsSrAndFiveCrockfordSymbols() {
        RandomGenerator random = new SplittableRandom(1);
        for (int i = 0; i < 500; i++) {
            String id = SupportRequestIds.generate(random);
            assertTrue(id.matches("SR-[0-9ABCDEFGHJKMNPQRSTVWXYZ]{5}"), id);
        }
    }

    @Test
    void theInjectedRandomSourceDecidesTheId() {
        assertEquals(SupportRequestIds.generate(new SplittableRandom(99)), SupportRequestIds.generate(new SplittableRandom(99)));
        RandomGenerator zeros = () -> 0L; // nextInt(32) of an all-zero source is 0 -> '0'
        assertEquals("SR-00000", SupportRequestIds.generate(zeros));
    }

    @Test
    void everySymbolOfTheAlphabetIsUsed() {
        Set<Character> seen = new HashSet<>();
        RandomGenerator random = new SplittableRandom(3);
        for (int i = 0; i < 400; i++) {
            SupportRequestIds.generate(random).substring(3).chars().forEach(c -> seen.add((char) c));
        }
        assertEquals(32, seen.size());
    }

    @ParameterizedTest
    @CsvSource({
        "SR-7K3QD, SR-7K3QD",
        "sr-7k3qd, SR-7K3QD",
        "7k3qd, SR-7K3QD",
        "SR7K3QD, SR-7K3QD",
        "'  SR-7K3QD  ', SR-7K3QD",
        "SR-O0ILl, SR-00111"})
    void parsingForgivesCaseThePrefixAndLookAlikes(String typed, String canonical) {
        assertEquals(Optional.of(canonical), SupportRequestIds.parse(typed));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "SR-", "SR-7K3Q", "SR-7K3QDX", "SR-7K3QU", "SR-7K 3Q", "42", "SR_7K3QD", "XX-7K3QD"})
    void anythingElseIsNotAnId(String typed) {
        assertEquals(Optional.empty(), SupportRequestIds.parse(typed));
    }

    @Test
    void nullIsNotAnId() {
        assertEquals(Optional.empty(), SupportRequestIds.parse(null));
    }
}
