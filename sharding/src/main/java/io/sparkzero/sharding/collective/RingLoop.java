package io.sparkzero.sharding.collective;

import io.aeron.logbuffer.ControlledFragmentHandler;
import io.aeron.logbuffer.Header;
import java.util.function.LongSupplier;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * The duty cycle shared by every ring operation: send what may be sent, poll what has arrived,
 * back off when neither made progress, and fail with {@link CollectiveTimeoutException} when a
 * neighbour has been silent for the timeout.
 *
 * <p>Sending and receiving interleave in one loop on the caller's thread, so a rank that cannot send
 * (its right neighbour is slow) still drains its left neighbour, and no ring can deadlock on full
 * buffers. Messages are taken with a controlled poll: one that belongs to a later step or operation
 * than expected is left in the log ({@code ABORT}) to be read when its time comes.
 */
abstract class RingLoop implements ControlledFragmentHandler {
  /** Fragments read per poll: enough to keep up with a full window, few enough to go on sending. */
  private static final int FRAGMENT_LIMIT = 16;
  // Spin briefly, then yield, then park at most 50 us: on a 2-core host a spinning rank would take
  // the core its neighbour or the media driver needs, and 50 us is small next to a 64 KiB chunk.
  private static final long MAX_PARK_NS = 50_000;

  protected final Outbox outbox;
  protected final int leftRank;
  protected final CollectiveCounters counters;
  private final InboundStream inbox;
  private final long jobToken;
  private final long timeoutMs;
  private final StallWatch silence;
  private final IdleStrategy idle = new BackoffIdleStrategy(20, 10, 1_000, MAX_PARK_NS);
  private int accepted;
  /**
   * What a message handler threw, to be rethrown by {@link #loop} once the poll has returned:
   * Aeron's poll catches what a handler throws and hands it to the client's error handler (a log
   * line), which would leave the operation to time out instead of failing at once.
   */
  private RuntimeException rejected;
  /** Checks each message's tag when {@code collective.authenticate} is on; else null. */
  private final MessageMac mac;

  RingLoop(
      Outbox outbox, InboundStream inbox, int leftRank, CollectiveOptions options,
      CollectiveCounters counters, LongSupplier nanoClock) {
    this.outbox = outbox;
    this.inbox = inbox;
    this.leftRank = leftRank;
    this.counters = counters;
    this.jobToken = options.wireTag();
    this.timeoutMs = options.timeoutMs();
    this.silence = new StallWatch(nanoClock, options.timeoutMs());
    this.mac = options.authenticate() ? new MessageMac(options.jobToken(),
        inbox.subscription().streamId(), inbox.sessionId()) : null;
  }

  /** Whether this rank still has messages to send in the current operation. */
  abstract boolean sending();

  /** Whether this rank still expects messages in the current operation. */
  abstract boolean receiving();

  /** Sends what may be sent now; returns the number of messages sent. */
  abstract int sendSome();

  /** Handles one message with this job's token; {@code index} is where its header starts. */
  abstract Action onMessage(DirectBuffer buffer, int index, int length);

  /** Where the receive side stands, for timeout and protocol messages. */
  abstract String expected();

  /** Runs the current operation to completion. */
  final void loop(String operation) {
    silence.restart();
    while (sending() || receiving()) {
      int work = sendSome();
      if (receiving()) {
        accepted = 0;
        work += inbox.controlledPoll(this, FRAGMENT_LIMIT);
        if (rejected != null) {
          RuntimeException failure = rejected;
          rejected = null;
          throw failure;
        }
        if (accepted > 0) {
          silence.restart();
        }
      }
      if (work > 0) {
        idle.reset();
      } else {
        checkStalled(operation);
        idle.idle();
      }
    }
  }

  @Override
  public final Action onFragment(DirectBuffer buffer, int offset, int length, Header header) {
    if (mac != null) {
      length -= MessageMac.LENGTH;
      if (length < MessageHeader.LENGTH || !mac.verify(buffer, offset, length)) {
        counters.messagesDroppedBadMac++;
        return Action.CONTINUE;
      }
    }
    if (length < MessageHeader.LENGTH || MessageHeader.token(buffer, offset) != jobToken) {
      counters.messagesDroppedBadToken++;
      return Action.CONTINUE;
    }
    Action action;
    try {
      action = onMessage(buffer, offset, length);
    } catch (RuntimeException e) {
      rejected = e;
      return Action.ABORT;
    }
    if (action != Action.ABORT) {
      accepted++;
    }
    return action;
  }

  private void checkStalled(String operation) {
    outbox.checkStalled(operation);
    if (receiving() && silence.expired()) {
      throw new CollectiveTimeoutException(operation, leftRank, timeoutMs, "waiting for "
          + expected() + (inbox.isConnected() ? "" : "; its stream to this rank is not connected"));
    }
  }

  /** The error for a message that cannot be where it is: the ranks disagree about the call sequence. */
  final IllegalStateException outOfOrder(String what, DirectBuffer buffer, int index) {
    return new IllegalStateException("rank " + leftRank + " sent " + what + " (operation "
        + MessageHeader.operation(buffer, index) + ", step " + MessageHeader.step(buffer, index)
        + ", offset " + MessageHeader.offset(buffer, index) + ", total length "
        + MessageHeader.totalLength(buffer, index) + ") while this rank expected " + expected()
        + "; every rank must call the same collectives in the same order with the same lengths"
        + " and wire");
  }
}
