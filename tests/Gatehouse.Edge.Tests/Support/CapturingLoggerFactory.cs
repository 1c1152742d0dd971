using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Edge.Tests.Support;

/// <summary>A logger factory that keeps every event, so tests can assert on event ids.</summary>
internal sealed class CapturingLoggerFactory : ILoggerFactory
{
    private readonly ConcurrentQueue<(string Category, EventId Id, string Message)> _events = new();

    public IReadOnlyList<(string Category, EventId Id, string Message)> Events => _events.ToList();

    public int Count(int eventId) => _events.Count(entry => entry.Id.Id == eventId);

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, _events);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<(string, EventId, string)> events) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(
            LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            events.Enqueue((category, eventId, formatter(state, exception)));
    }
}
