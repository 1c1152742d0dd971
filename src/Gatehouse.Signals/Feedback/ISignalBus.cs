namespace Gatehouse.Signals.Feedback;

/// <summary>
/// Carries feedback signals from the node that detects abuse to every subscribed node, the publisher included.
/// </summary>
public interface ISignalBus
{
    /// <summary>
    /// Sends <paramref name="signal"/> to every subscriber. Returns false when it could not be sent (for example
    /// Redis is unreachable); the bus logs why and never throws for that.
    /// </summary>
    Task<bool> PublishAsync(FeedbackSignal signal, CancellationToken cancellationToken = default);

    /// <summary>
    /// Calls <paramref name="handler"/> for every signal published after this call returns, until the result
    /// is disposed. A handler that throws is logged and does not stop delivery to other handlers.
    /// </summary>
    IDisposable Subscribe(Action<FeedbackSignal> handler);
}
