using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Balancer.Tests.Tls;

/// <summary>Keeps every log event with its id and formatted message, for asserting logs by event id.</summary>
internal sealed class RecordingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<(int EventId, string Message)> Events { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Recorder(Events);

    public ILoggerFactory CreateFactory() => LoggerFactory.Create(builder => builder.AddProvider(this).SetMinimumLevel(LogLevel.Debug));

    /// <summary>Waits up to 10 seconds for an event with <paramref name="eventId"/> and returns its message, or null.</summary>
    public async Task<string?> WaitForAsync(int eventId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            var found = Events.FirstOrDefault(entry => entry.EventId == eventId);
            if (found.Message is not null)
            {
                return found.Message;
            }

            await Task.Delay(20);
        }

        return null;
    }

    public void Dispose()
    {
    }

    private sealed class Recorder(ConcurrentQueue<(int, string)> events) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            events.Enqueue((eventId.Id, formatter(state, exception)));
    }
}
