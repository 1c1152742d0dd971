using System.Globalization;
using System.Net.Sockets;
using Gatehouse.Edge.Logging;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Edge.Feedback;

/// <summary>
/// Polls a real HAProxy for one <c>source = "poll"</c> rule: every interval sends
/// <c>show table TABLE data.COUNTER OP VALUE</c> to the runtime API, so HAProxy returns only the entries that
/// satisfy the condition, and passes each to <see cref="FeedbackEngine.Observe"/>. Dispose to stop.
/// </summary>
internal sealed class PollSource : IDisposable
{
    private readonly FeedbackRule _rule;
    private readonly RuntimeApiClient _client;
    private readonly FeedbackEngine _engine;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private bool _failing;

    private PollSource(FeedbackRule rule, FeedbackEngine engine, ILogger logger)
    {
        _rule = rule;
        _client = new RuntimeApiClient(rule.RuntimeApi!, rule.PollTimeout);
        _engine = engine;
        _logger = logger;
        Command = CommandFor(rule);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>The runtime API command sent at every poll.</summary>
    public string Command { get; }

    /// <summary>Starts polling for every poll rule of <paramref name="engine"/>.</summary>
    public static List<PollSource> StartAll(FeedbackEngine engine, ILogger logger) =>
        engine.Rules.Where(rule => rule.Source == FeedbackSourceKind.Poll).Select(rule => new PollSource(rule, engine, logger)).ToList();

    /// <summary>Returns the command that lists only entries satisfying the rule, such as <c>show table web data.gpt0 gt 0</c>.</summary>
    public static string CommandFor(FeedbackRule rule)
    {
        var op = rule.When.Operator switch
        {
            FeedbackOperator.GreaterThan => "gt",
            FeedbackOperator.GreaterOrEqual => "ge",
            _ => "eq",
        };
        return string.Create(CultureInfo.InvariantCulture, $"show table {rule.Table} data.{rule.When.Counter} {op} {rule.When.Threshold}");
    }

    /// <summary>Polls once and returns the number of entries observed.</summary>
    public async Task<int> PollOnceAsync(CancellationToken cancellationToken)
    {
        var output = await _client.SendAsync(Command, cancellationToken);
        var entries = ShowTableOutput.Parse(output);
        foreach (var entry in entries)
        {
            if (entry.Values.TryGetValue(_rule.When.Counter, out var value))
            {
                _engine.Observe(_rule.Table, entry.Key, _rule.When.Counter, value);
            }
        }

        return entries.Count;
    }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends by cancellation; any other failure was already logged by the loop.
        }

        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        EdgeLog.FeedbackPollStarted(_logger, _rule.Name, _rule.Table, _client.Address, _rule.Interval);
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await PollOnceAsync(_stop.Token);
                if (_failing)
                {
                    _failing = false;
                    EdgeLog.FeedbackPollRecovered(_logger, _rule.Name, _client.Address);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is SocketException or IOException or FormatException or TimeoutException)
            {
                if (!_failing)
                {
                    _failing = true;
                    EdgeLog.FeedbackPollFailed(_logger, _rule.Name, _client.Address, _rule.Interval, ex.Message);
                }
            }

            try
            {
                await Task.Delay(_rule.Interval, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
