package io.smtpassistant.app;

public final class Main {
    public static void main(String[] args) {
        System.out.println("smtp-assistant");
    }
}
