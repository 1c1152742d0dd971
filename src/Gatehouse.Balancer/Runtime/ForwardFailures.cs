using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Gatehouse.Balancer.Runtime;

/// <summary>
/// The status and reason sent for a forwarding error, by who failed: 502 when the server refused or broke the
/// connection or sent an invalid response, 504 when connecting or its response timed out, 503 only when no server was
/// available. HAProxy 2.6 returns 503 for a refused or timed-out connect; Gatehouse keeps 502/504 so the status
/// says which side failed (listed in docs/haproxy-compatibility.md).
/// </summary>
internal readonly record struct ForwardFailure(int Status, string Reason, bool ClientAborted);

internal static class ForwardFailures
{
    public static ForwardFailure Classify(ForwarderError error, Exception? exception)
    {
        switch (error)
        {
            case ForwarderError.RequestCanceled:
            case ForwarderError.RequestBodyClient:
            case ForwarderError.ResponseBodyClient:
            case ForwarderError.UpgradeRequestClient:
            case ForwarderError.UpgradeResponseClient:
                return new ForwardFailure(StatusCodes.Status400BadRequest, "client aborted", ClientAborted: true);
            case ForwarderError.RequestTimedOut:
                return new ForwardFailure(StatusCodes.Status504GatewayTimeout, "server timed out", false);
            case ForwarderError.NoAvailableDestinations:
                return new ForwardFailure(StatusCodes.Status503ServiceUnavailable, "no server available", false);
            case ForwarderError.Request:
                return ClassifyRequestFailure(exception);
            default:
                return new ForwardFailure(StatusCodes.Status502BadGateway, $"server connection failed ({error})", false);
        }
    }

    /// <summary>Returns the `retry-on` condition a forwarding error falls under, or none when it is never retried.</summary>
    public static Configuration.RetryConditions RetryCondition(ForwarderError error, Exception? exception)
    {
        if (error == ForwarderError.RequestTimedOut)
        {
            return Configuration.RetryConditions.ResponseTimeout;
        }

        if (error != ForwarderError.Request)
        {
            return Configuration.RetryConditions.None;
        }

        return exception switch
        {
            HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => Configuration.RetryConditions.ConnectionFailure,
            HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded } => Configuration.RetryConditions.EmptyResponse,
            HttpRequestException { HttpRequestError: HttpRequestError.InvalidResponse } => Configuration.RetryConditions.JunkResponse,
            OperationCanceledException or TimeoutException => Configuration.RetryConditions.ResponseTimeout,
            _ => Configuration.RetryConditions.None,
        };
    }

    private static ForwardFailure ClassifyRequestFailure(Exception? exception)
    {
        if (exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } connect)
        {
            // SocketsHttpHandler reports an elapsed ConnectTimeout as a connection error with a TimeoutException inside.
            return connect.InnerException is TimeoutException or OperationCanceledException
                ? new ForwardFailure(StatusCodes.Status504GatewayTimeout, "connect to server timed out", false)
                : new ForwardFailure(StatusCodes.Status502BadGateway, ConnectReason(connect), false);
        }

        if (exception is OperationCanceledException or TimeoutException)
        {
            return new ForwardFailure(StatusCodes.Status504GatewayTimeout, "server timed out", false);
        }

        return new ForwardFailure(StatusCodes.Status502BadGateway, "bad response from server", false);
    }

    private static string ConnectReason(HttpRequestException exception) =>
        exception.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused }
            ? "server refused the connection"
            : "connect to server failed";
}
