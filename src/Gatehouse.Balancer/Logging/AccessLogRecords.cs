using System.Diagnostics;
using Gatehouse.Balancer.Runtime;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;

namespace Gatehouse.Balancer.Logging;

/// <summary>Starts an <see cref="AccessLogRecord"/> when a request arrives and completes it when the request ends.</summary>
internal static class AccessLogRecords
{
    /// <summary>Creates the record, stores it in the request's features and stamps the moment the response starts.</summary>
    public static AccessLogRecord Start(HttpContext http, string frontend, string rawTarget, DateTimeOffset now, RequestOutcome outcome)
    {
        var request = http.Request;
        var record = new AccessLogRecord
        {
            AcceptedAt = now,
            Frontend = frontend,
            Backend = frontend,
            RequestLine = $"{request.Method} {rawTarget} {request.Protocol}",
            BytesIn = RequestSize(request, rawTarget),
        };
        http.Features.Set(record);
        http.Response.OnStarting(static state =>
        {
            ((RequestOutcome)state).ResponseStarted = Stopwatch.GetTimestamp();
            return Task.CompletedTask;
        }, outcome);
        return record;
    }

    /// <summary>Fills in what the request's end knows: names, timers, status, bytes, termination state and connection counts.</summary>
    public static void Finish(AccessLogRecord record, HttpContext http, RoutingState state, FrontendRuntime frontend, RequestOutcome outcome, string requestId, long started)
    {
        var ended = Stopwatch.GetTimestamp();
        record.RequestId = requestId;
        record.Status = http.Response.StatusCode;
        record.BytesOut = ResponseSize(http.Response);
        record.ActiveTime = Milliseconds(started, ended);
        record.Retries = outcome.Retries;
        record.Redispatched = outcome.Redispatches > 0;
        record.FrontendConnections = frontend.Counters.Current;
        record.ActiveConnections = state.Frontends.Values.Sum(each => each.Counters.Current);
        record.Termination = Termination(http, outcome);
        BackendPool? backend = null;
        if (outcome.Backend is { } backendName && state.Backends.TryGetValue(backendName, out backend))
        {
            record.Backend = backendName;
            record.BackendConnections = backend.Servers.Sum(server => server.Active);
            record.BackendQueue = backend.Queue.Count;
        }

        FinishTimers(record, outcome);
        if (outcome.Server is { } server && outcome.SlotAcquired != 0)
        {
            record.Server = server;
            record.ServerConnections = backend?.Servers.FirstOrDefault(each => each.Name == server)?.Active ?? 0;
        }
    }

    private static void FinishTimers(AccessLogRecord record, RequestOutcome outcome)
    {
        record.RequestTime = 0;
        if (outcome.SlotAcquired != 0)
        {
            record.QueueTime = Milliseconds(outcome.QueueStarted, outcome.SlotAcquired);

            // NOTE: YARP does not report when the connection to the server was made, so Tc is 0 once a slot was taken
            // and the server answered, and -1 when connecting failed.
            var connected = record.Termination[1] != 'C';
            record.ConnectTime = connected ? 0 : -1;
            record.ResponseTime = connected && outcome.ResponseStarted >= outcome.SlotAcquired && record.Termination[1] != 'H'
                ? Milliseconds(outcome.SlotAcquired, outcome.ResponseStarted)
                : -1;
        }
        else if (outcome.QueueStarted != 0)
        {
            record.QueueTime = record.Termination[1] == 'Q' ? Milliseconds(outcome.QueueStarted, Stopwatch.GetTimestamp()) : 0;
        }
        else
        {
            record.QueueTime = -1;
        }

    }

    /// <summary>Returns HAProxy's two-letter termination state of a finished request, shared by the access log and the decision record.</summary>
    public static string Termination(HttpContext http, RequestOutcome outcome)
    {
        if (outcome.Termination is { } termination)
        {
            return termination;
        }

        if (outcome.Reason == "client aborted")
        {
            return http.Response.HasStarted ? "CD" : "CR";
        }

        return outcome.Decision == "forward" ? TerminationStates.Normal : TerminationStates.ForLocalResponse(outcome.Decision);
    }

    private static long Milliseconds(long from, long to) => (long)Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;

    // NOTE: sizes are estimated from the headers and Content-Length, so a chunked body is not counted.
    private static long RequestSize(HttpRequest request, string rawTarget)
    {
        long size = request.Method.Length + rawTarget.Length + request.Protocol.Length + 4 + 2;
        foreach (var header in request.Headers)
        {
            size += HeaderSize(header.Key, header.Value);
        }

        return size + (request.ContentLength ?? 0);
    }

    private static long ResponseSize(HttpResponse response)
    {
        var reason = response.HttpContext.Features.Get<IHttpResponseFeature>()?.ReasonPhrase ?? ReasonPhrases.GetReasonPhrase(response.StatusCode);
        long size = "HTTP/1.1 200 ".Length + reason.Length + 2 + 2;
        foreach (var header in response.Headers)
        {
            size += HeaderSize(header.Key, header.Value);
        }

        return size + (response.ContentLength ?? 0);
    }

    private static long HeaderSize(string name, Microsoft.Extensions.Primitives.StringValues values)
    {
        long size = 0;
        foreach (var value in values)
        {
            size += name.Length + 2 + (value?.Length ?? 0) + 2;
        }

        return size;
    }
}
