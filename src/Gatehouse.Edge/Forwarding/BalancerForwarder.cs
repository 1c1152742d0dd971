using Gatehouse.Edge.Configuration;
using Gatehouse.Edge.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Gatehouse.Edge.Forwarding;

/// <summary>Sends vetted requests to the balancer over one pooled connection handler.</summary>
internal sealed class BalancerForwarder : IDisposable
{
    private readonly IHttpForwarder _forwarder;
    private readonly HttpMessageInvoker _client;
    private readonly string _destination;
    private readonly ForwarderRequestConfig _requestConfig;

    public BalancerForwarder(IHttpForwarder forwarder, EdgeConfig config, ILogger logger)
    {
        _forwarder = forwarder;
        _destination = config.BalancerUrl.ToString();
        _client = new HttpMessageInvoker(BalancerConnection.CreateHandler(config, logger));
        _requestConfig = BalancerConnection.CreateRequestConfig(config);
    }

    /// <summary>Forwards the request; returns the failure when the balancer could not be reached or did not respond.</summary>
    public async ValueTask<(EdgeFailure? Failure, Exception? Error)> ForwardAsync(
        HttpContext context, string requestId, string assertion, string? variant)
    {
        var transformer = new BalancerTransformer(requestId, assertion, variant);
        var error = await _forwarder.SendAsync(context, _destination, _client, _requestConfig, transformer);
        if (error == ForwarderError.None)
        {
            return (null, null);
        }

        var exception = context.Features.Get<IForwarderErrorFeature>()?.Exception;
        EdgeFailure? failure = error switch
        {
            // The client sent a body Kestrel could not read: malformed chunks, a short body or one over the limit.
            ForwarderError.RequestBodyClient => BodyFailure(exception),
            ForwarderError.RequestTimedOut => EdgeFailure.BalancerTimeout,
            ForwarderError.Request => EdgeFailure.BalancerUnreachable,
            ForwarderError.ResponseHeaders => EdgeFailure.BalancerBadResponse,
            ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.ResponseBodyCanceled => null,
            _ => EdgeFailure.BalancerBadResponse,
        };
        return (failure, exception);
    }

    public void Dispose() => _client.Dispose();

    private static EdgeFailure BodyFailure(Exception? exception)
    {
        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
            {
                return EdgeFailure.BodyTooLarge;
            }
        }

        return EdgeFailure.BadRequest;
    }
}
