using System.Collections.Immutable;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Signals.Feedback;

/// <summary>The subscribers of one bus; delivery reads an immutable snapshot, so it takes no lock.</summary>
internal sealed class SignalHandlers
{
    private readonly ILogger _logger;
    private ImmutableList<Action<FeedbackSignal>> _handlers = [];

    public SignalHandlers(ILogger logger)
    {
        _logger = logger;
    }

    public IDisposable Add(Action<FeedbackSignal> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ImmutableInterlocked.Update(ref _handlers, handlers => handlers.Add(handler));
        return new Subscription(this, handler);
    }

    public void Deliver(FeedbackSignal signal)
    {
        var handlers = Volatile.Read(ref _handlers);
        foreach (var handler in handlers)
        {
            try
            {
                handler(signal);
            }
            catch (Exception ex)
            {
                SignalsLog.SignalHandlerFailed(_logger, ex, signal.RuleName, signal.Table);
            }
        }
    }

    private sealed class Subscription(SignalHandlers owner, Action<FeedbackSignal> handler) : IDisposable
    {
        public void Dispose() => ImmutableInterlocked.Update(ref owner._handlers, handlers => handlers.Remove(handler));
    }
}
