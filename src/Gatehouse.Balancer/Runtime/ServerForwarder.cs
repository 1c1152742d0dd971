using System.Net;
using Gatehouse.Balancer.Acls;
using Gatehouse.Balancer.Configuration;
using Gatehouse.Balancer.LoadBalancing;
using Gatehouse.Balancer.Rules;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Gatehouse.Balancer.Runtime;

/// <summary>Selects a server of the backend and forwards the request to it with YARP's <see cref="IHttpForwarder"/>.</summary>
internal sealed class ServerForwarder
{
    private readonly IHttpForwarder _forwarder;
    private readonly ILogger _logger;

    public ServerForwarder(IHttpForwarder forwarder, ILogger logger)
    {
        _forwarder = forwarder;
        _logger = logger;
    }

    public async Task ForwardAsync(
        FrontendRuntime frontend, BackendPool backend, HttpContext http, SampleContext sample, string requestId, RequestOutcome outcome)
    {
        var server = backend.Selector.Select(sample);
        if (server is null)
        {
            BalancerLog.NoServer(_logger, requestId, backend.Name);
            outcome.Reason = "no server available";
            await RequestPipeline.WriteResponseAsync(http, requestId, new RuleResponse(503, "text/plain", "no server available", null, "forward", outcome.Reason));
            return;
        }

        outcome.Server = server.Name;
        AddForwardedFor(frontend.Config.Settings, backend.Config.Settings, http.Request.Headers, sample.Source);
        var transformer = new BalancerTransformer(
            sample,
            requestId,
            backend.Config.ResponseRules,
            frontend.Config.ResponseRules,
            closeServerConnection: backend.Config.Settings.HttpServerClose || frontend.Config.Settings.HttpServerClose);

        ForwarderError error;
        server.Enter();
        try
        {
            error = await _forwarder.SendAsync(http, server.DestinationPrefix, backend.Invoker, backend.RequestConfig, transformer);
        }
        finally
        {
            server.Leave();
        }

        if (error != ForwarderError.None)
        {
            await ReportFailureAsync(http, backend, server, requestId, error, outcome);
        }
    }

    private async Task ReportFailureAsync(
        HttpContext http, BackendPool backend, ServerState server, string requestId, ForwarderError error, RequestOutcome outcome)
    {
        var exception = http.Features.Get<IForwarderErrorFeature>()?.Exception;
        var failure = ForwardFailures.Classify(error, exception);
        outcome.Reason = failure.Reason;
        if (failure.ClientAborted)
        {
            BalancerLog.ClientAborted(_logger, requestId, backend.Name, server.Name, error.ToString());
            return;
        }

        BalancerLog.ForwardFailed(_logger, requestId, backend.Name, server.Name, error.ToString(), failure.Status, exception?.Message ?? "");
        if (!http.Response.HasStarted)
        {
            // YARP has already set 502 or 504; the balancer's own mapping decides.
            http.Response.Clear();
            await RequestPipeline.WriteResponseAsync(
                http, requestId, new RuleResponse(failure.Status, "text/plain", failure.Reason, null, "forward", failure.Reason));
        }
    }

    /// <summary>Implements `option forwardfor`: the backend's setting wins, then the frontend's.</summary>
    private static void AddForwardedFor(ProxySettings frontend, ProxySettings backend, IHeaderDictionary headers, IPAddress? source)
    {
        if ((backend.ForwardFor ?? frontend.ForwardFor) is not { } option || source is null)
        {
            return;
        }

        var address = source.IsIPv4MappedToIPv6 ? source.MapToIPv4() : source;
        if (option.Except is { } except && except.Contains(address))
        {
            return;
        }

        if (option.IfNone && headers.ContainsKey(option.HeaderName))
        {
            return;
        }

        headers.Append(option.HeaderName, address.ToString());
    }
}
