using System.Net.Sockets;
using Yarp.ReverseProxy.Forwarder;

namespace Gatehouse.Balancer.Logging;

/// <summary>
/// HAProxy's two-letter session termination state. The first letter says who ended the session: C the client,
/// S the server, P the proxy, L the proxy answering locally, c or s a client or server timeout, "-" normal end.
/// The second says in which phase: R request, Q queue, C connect, H response headers, D data, "-" normal end.
/// </summary>
internal static class TerminationStates
{
    public const string Normal = "--";

    /// <summary>The state for a request the backend could not give a server slot, by the note of the slot request.</summary>
    public static string ForRejection(string reason) => reason switch
    {
        "queue timeout" => "sQ",
        "queue full" => "sQ",
        "client aborted in queue" => "CQ",
        _ => "SC",
    };

    /// <summary>The state for a forwarding error, by the phase YARP reports it in.</summary>
    public static string ForFailure(ForwarderError error, Exception? exception) => error switch
    {
        ForwarderError.RequestCanceled or ForwarderError.RequestBodyClient or ForwarderError.UpgradeRequestClient => "CH",
        ForwarderError.ResponseBodyClient or ForwarderError.UpgradeResponseClient => "CD",
        ForwarderError.RequestTimedOut => "sH",
        ForwarderError.ResponseBodyCanceled => "sD",
        ForwarderError.ResponseBodyDestination => IsTimeout(exception) ? "sD" : "SD",
        ForwarderError.Request => ForRequestFailure(exception),
        _ => "SH",
    };

    /// <summary>The state of a response the balancer wrote itself, by its decision: a deny is the proxy's, the rest local.</summary>
    public static string ForLocalResponse(string decision) => decision == "deny" ? "PR" : "LR";

    // `timeout server` cancels the read from the server, and the cancellation can arrive wrapped in an IOException.
    private static bool IsTimeout(Exception? exception) =>
        exception is OperationCanceledException or TimeoutException
        || exception?.InnerException is OperationCanceledException or TimeoutException;

    private static string ForRequestFailure(Exception? exception) => exception switch
    {
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError, InnerException: TimeoutException or OperationCanceledException } => "sC",
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => "SC",
        HttpRequestException { HttpRequestError: HttpRequestError.InvalidResponse } => "PH",
        OperationCanceledException or TimeoutException => "sH",
        HttpRequestException { InnerException: SocketException } => "SC",
        _ => "SH",
    };
}
