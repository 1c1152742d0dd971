using Gatehouse.Balancer.Acls;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Balancer.Runtime;

/// <summary>The state of one request across its forwarding attempts: what it needs and what happened.</summary>
internal sealed class ForwardAttempt(
    FrontendRuntime frontend, BackendPool backend, HttpContext http, SampleContext sample, string requestId, RequestOutcome outcome)
{
    public FrontendRuntime Frontend { get; } = frontend;

    public BackendPool Backend { get; } = backend;

    public HttpContext Http { get; } = http;

    public SampleContext Sample { get; } = sample;

    public string RequestId { get; } = requestId;

    public RequestOutcome Outcome { get; } = outcome;

    /// <summary>True when the request waited in the backend queue for its first slot.</summary>
    public bool Queued { get; init; }

    public int Retries { get; set; }

    /// <summary>The compression chosen for the response, or null when it is sent as the server sent it.</summary>
    public ResponseCompression? Compression { get; init; }

    /// <summary>The up server named by the request's persistence cookie, or null.</summary>
    public LoadBalancing.ServerState? Persisted { get; init; }

    /// <summary>The `maxidle`/`maxlife` dates of the persistence cookie that chose <see cref="Persisted"/>.</summary>
    public CookieDates CookieDates { get; init; }

    /// <summary>The server whose connection slot the request holds, or null when it holds none.</summary>
    public LoadBalancing.ServerState? Slot { get; set; }

    /// <summary>The last response held back for a retry, sent when no later attempt gets a response.</summary>
    public HeldResponse? Held { get; set; }

    /// <summary>Why the final attempt failed, or null when it succeeded.</summary>
    public string? Failure { get; set; }

    /// <summary>Returns the decision record reason, such as "queued; retried 2 times; server responded 503".</summary>
    public string? Describe()
    {
        var parts = new List<string>();
        if (Queued)
        {
            parts.Add("queued");
        }

        if (Retries > 0)
        {
            parts.Add(Retries == 1 ? "retried 1 time" : $"retried {Retries} times");
        }

        if (Failure is not null)
        {
            parts.Add(Failure);
        }

        return parts.Count == 0 ? null : string.Join("; ", parts);
    }
}
