namespace Gatehouse.Balancer.Logging;

/// <summary>
/// The values of one request that only the access log needs, stored in the request's features so the log-format
/// variables of <see cref="AccessLogVariables"/> can read them. Times are in milliseconds, -1 when that phase was not reached.
/// </summary>
internal sealed class AccessLogRecord
{
    public DateTimeOffset AcceptedAt { get; init; }

    public string Frontend { get; init; } = "";

    /// <summary>The backend, or the frontend's name when no backend was chosen, as HAProxy logs it.</summary>
    public string Backend { get; set; } = "";

    /// <summary>The server, or "&lt;NOSRV&gt;" when none was connected.</summary>
    public string Server { get; set; } = "<NOSRV>";

    public long RequestTime { get; set; }

    public long QueueTime { get; set; } = -1;

    public long ConnectTime { get; set; } = -1;

    public long ResponseTime { get; set; } = -1;

    public long ActiveTime { get; set; }

    public int Status { get; set; }

    public long BytesIn { get; set; }

    public long BytesOut { get; set; }

    public string Termination { get; set; } = TerminationStates.Normal;

    /// <summary>The two cookie persistence letters of %tsc; "--" when the backend has no `cookie` setting.</summary>
    public string CookieState { get; set; } = "--";

    public long ActiveConnections { get; set; }

    public long FrontendConnections { get; set; }

    public long BackendConnections { get; set; }

    public long ServerConnections { get; set; }

    public int Retries { get; set; }

    public bool Redispatched { get; set; }

    public int ServerQueue { get; set; }

    public int BackendQueue { get; set; }

    /// <summary>The request line "METHOD TARGET VERSION".</summary>
    public string RequestLine { get; init; } = "";

    public string RequestId { get; set; } = "";
}
