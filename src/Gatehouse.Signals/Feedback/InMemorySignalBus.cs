using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gatehouse.Signals.Feedback;

/// <summary>
/// <see cref="ISignalBus"/> for one process: <see cref="PublishAsync"/> calls every handler before it returns.
/// </summary>
public sealed class InMemorySignalBus : ISignalBus
{
    private readonly SignalHandlers _handlers;

    public InMemorySignalBus(ILogger? logger = null)
    {
        _handlers = new SignalHandlers(logger ?? NullLogger.Instance);
    }

    public Task<bool> PublishAsync(FeedbackSignal signal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signal);
        cancellationToken.ThrowIfCancellationRequested();
        _handlers.Deliver(signal);
        return Task.FromResult(true);
    }

    public IDisposable Subscribe(Action<FeedbackSignal> handler) => _handlers.Add(handler);
}
