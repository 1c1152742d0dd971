using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Signals.Tests;

/// <summary>A logger that records the event id and text of every entry, so tests can assert on them.</summary>
internal sealed class EventIdLogger : ILogger
{
    private readonly ConcurrentQueue<(int EventId, string Text)> _entries = new();

    public int Count(int eventId) => _entries.Count(entry => entry.EventId == eventId);

    public IReadOnlyList<string> Texts => _entries.Select(entry => entry.Text).ToList();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(
        LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _entries.Enqueue((eventId.Id, formatter(state, exception)));
}
