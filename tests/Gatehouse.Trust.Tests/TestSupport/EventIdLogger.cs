using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Trust.Tests.TestSupport;

/// <summary>A logger that records the event id of every entry, at every level, so tests can assert on them.</summary>
internal sealed class EventIdLogger : ILogger
{
    private readonly ConcurrentQueue<int> _eventIds = new();

    public int Count(int eventId) => _eventIds.Count(id => id == eventId);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(
        LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _eventIds.Enqueue(eventId.Id);
}
