package io.shmstore.internal.platform;

import java.util.concurrent.CompletionStage;

/**
 * An unnamed mapping on its way to another process ({@link Backend#handOver}): the token that process
 * opens it with, and what this process lets go once the receiver no longer needs it.
 */
public final class Handover {
    private final String token;
    private final Runnable letGo;
    private final boolean untilReceiverExits;

    private Handover(String token, Runnable letGo, boolean untilReceiverExits) {
        this.token = token;
        this.letGo = letGo;
        this.untilReceiverExits = untilReceiverExits;
    }

    /**
     * The receiver opens what this process keeps ({@code letGo} gives it up), so it is kept until the
     * receiver exits.
     */
    public static Handover keptUntilReceiverExits(String token, Runnable letGo) {
        return new Handover(token, letGo, true);
    }

    /**
     * The receiver has its own copy from the moment it exists; {@code letGo} gives up what this process
     * made for it as soon as it is started.
     */
    public static Handover ownedByReceiver(String token, Runnable letGo) {
        return new Handover(token, letGo, false);
    }

    /** What the receiver passes to {@link Backend#receive}; see {@link HandoverToken}. */
    public String token() {
        return token;
    }

    /** The receiver is started (or was running): what the token needs is kept as long as it must be. */
    public void keepUntil(CompletionStage<?> receiverGone) {
        if (untilReceiverExits) {
            receiverGone.whenComplete((ignored, failure) -> letGo.run());
        } else {
            letGo.run();
        }
    }

    /** Gives it up now: the receiver will never open it (a child that could not be started). */
    public void cancel() {
        letGo.run();
    }
}
