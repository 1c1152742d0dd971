using System.Net;
using Gatehouse.Balancer.Acls;
using Gatehouse.Balancer.Configuration;
using Gatehouse.Balancer.LoadBalancing;
using Gatehouse.Balancer.Rules;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Gatehouse.Balancer.Runtime;

/// <summary>
/// Takes a server slot in the backend (queueing at maxconn) and forwards the request with YARP's
/// <see cref="IHttpForwarder"/>, retrying the failures `retry-on` names up to `retries` times.
/// </summary>
internal sealed class ServerForwarder
{
    private readonly IHttpForwarder _forwarder;
    private readonly ILogger _logger;
    private readonly Tls.OriginTlsClients _tlsClients;

    public ServerForwarder(IHttpForwarder forwarder, ILogger logger, Tls.OriginTlsClients tlsClients)
    {
        _forwarder = forwarder;
        _logger = logger;
        _tlsClients = tlsClients;
    }

    public async Task ForwardAsync(
        FrontendRuntime frontend, BackendPool backend, HttpContext http, SampleContext sample, string requestId, RequestOutcome outcome)
    {
        var cookieDates = default(CookieDates);
        var persisted = backend.Config.Settings.Cookie is { } cookie
            ? CookiePersistence.ReadRequest(cookie, backend.Servers, http.Request.Headers, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), out cookieDates)
            : null;
        if (persisted is null && backend.Config.StickRules.Count > 0)
        {
            persisted = StickPersistence.Match(backend, sample);
        }

        outcome.QueueStarted = System.Diagnostics.Stopwatch.GetTimestamp();
        var queueSpan = RequestPipeline.StartPhase(outcome, "queue");
        var slot = await backend.AcquireAsync(sample, http.RequestAborted, persisted: persisted);
        RequestPipeline.EndPhase(queueSpan, slot.Server is null ? slot.Note : null);
        if (slot.Server is not { } server)
        {
            await RejectAsync(http, sample, frontend, backend, requestId, slot.Note!, outcome);
            return;
        }

        outcome.SlotAcquired = System.Diagnostics.Stopwatch.GetTimestamp();
        var attempt = new ForwardAttempt(frontend, backend, http, sample, requestId, outcome)
        {
            Queued = slot.Note == "queued",
            Slot = server,
            Persisted = persisted,
            CookieDates = cookieDates,
            Compression = ResponseCompression.ForRequest(frontend.Config.Settings, backend.Config.Settings, http.Request),
        };
        AddForwardedFor(frontend.Config.Settings, backend.Config.Settings, http.Request.Headers, sample.Source);
        try
        {
            await ForwardWithRetriesAsync(attempt, server);
            if (attempt.Slot is { } served && backend.Config.StickRules.Count > 0 && http.Response.HasStarted)
            {
                StickPersistence.Store(backend, sample, served);
            }
        }
        finally
        {
            if (attempt.Compression is { } compression)
            {
                await compression.FinishAsync(http);
            }

            if (attempt.Slot is { } held)
            {
                backend.Release(held);
            }
        }

        outcome.Reason = attempt.Describe();
        outcome.Retries = attempt.Retries;
    }

    /// <summary>Runs the attempts; <see cref="ForwardAttempt.Slot"/> always names the server whose slot is held.</summary>
    private async Task ForwardWithRetriesAsync(ForwardAttempt attempt, ServerState server)
    {
        var (backend, http) = (attempt.Backend, attempt.Http);
        var settings = backend.Config.Settings;

        // Only a request without a body is retried, because a body already sent cannot be sent again.
        var retries = HasBody(http) ? 0 : settings.Retries;
        for (var retry = 0; ; retry++)
        {
            attempt.Outcome.Server = server.Name;
            var lastTry = retry >= retries;
            var transformer = CreateTransformer(attempt, lastTry ? RetryConditions.None : settings.RetryOn);
            if (settings.Cookie is { } cookieSettings)
            {
                transformer.Cookie = new CookieResponse(cookieSettings, server, direct: server == attempt.Persisted)
                {
                    Dates = server == attempt.Persisted ? attempt.CookieDates : default,
                };
            }

            transformer.Compression = attempt.Compression;
            if (server.Config.PassiveHealth is not null)
            {
                // The status is observed when the headers arrive, before the client gets them, as HAProxy does,
                // so the next request already meets the new state.
                var observed = server;
                transformer.ServerResponded = status => Health.PassiveHealth.Observe(backend, observed, Health.PassiveHealth.ForStatus(status), _logger);
            }

            var (frontendStores, backendStores) = (attempt.Frontend.Config.CacheStoreRules, backend.Config.CacheStoreRules);
            if (frontendStores.Count + backendStores.Count > 0)
            {
                transformer.StoreRules = (backendStores, frontendStores);
            }

            var invoker = _tlsClients.For(server.Config, backend.Name, settings.ConnectTimeout, backend.Invoker);
            var requestConfig = Tls.OriginTls.RequestConfigFor(server.Config, backend.RequestConfig);
            var forwardSpan = RequestPipeline.StartForwardPhase(http, attempt.Outcome, server.Name);
            var error = await _forwarder.SendAsync(http, server.DestinationPrefix, invoker, requestConfig, transformer);
            RequestPipeline.EndPhase(forwardSpan, error == ForwarderError.None ? null : error.ToString());
            transformer.Store?.Commit(http, error == ForwarderError.None);
            ObserveFailure(backend, server, http, error);
            string failureText;
            if (transformer.HeldResponse is { } held)
            {
                attempt.Held = held;
                failureText = $"server responded {held.Status}";
            }
            else if (error == ForwarderError.None)
            {
                if (retry > 0 && RetryStatuses.Matches(settings.RetryOn, http.Response.StatusCode))
                {
                    attempt.Failure = $"server responded {http.Response.StatusCode}";
                }

                return;
            }
            else
            {
                var exception = http.Features.Get<IForwarderErrorFeature>()?.Exception;
                var condition = ForwardFailures.RetryCondition(error, exception);
                if (lastTry || http.Response.HasStarted || (settings.RetryOn & condition) == 0 || condition == RetryConditions.None)
                {
                    await ReportFailureAsync(attempt, server, error);
                    return;
                }

                failureText = ForwardFailures.Classify(error, exception).Reason;
            }

            // Clear what the failed attempt left so the next one starts from a fresh response.
            http.Response.Clear();
            http.Features.Set<IForwarderErrorFeature>(null);
            attempt.Retries = retry + 1;
            if (Redispatches(settings.RedispatchInterval, retry + 1, retries))
            {
                attempt.Outcome.Redispatches++;
                attempt.Slot = null;
                backend.Release(server);
                var slot = await backend.AcquireAsync(attempt.Sample, http.RequestAborted, avoid: server);
                if (slot.Server is null)
                {
                    await EndWithoutServerAsync(attempt, slot.Note!);
                    return;
                }

                server = slot.Server;
                attempt.Slot = server;
            }

            BalancerLog.RequestRetried(_logger, attempt.RequestId, backend.Name, attempt.Outcome.Server!, failureText, retry + 1, retries, server.Name);
        }
    }

    /// <summary>Feeds a failed attempt to the server's passive health (`observe`); responses are observed by the transformer.</summary>
    private void ObserveFailure(BackendPool backend, ServerState server, HttpContext http, ForwarderError error)
    {
        if (server.Config.PassiveHealth is null || error == ForwarderError.None)
        {
            return;
        }

        var traffic = Health.PassiveHealth.ForError(error, http.Features.Get<IForwarderErrorFeature>()?.Exception);
        Health.PassiveHealth.Observe(backend, server, traffic, _logger);
    }

    /// <summary>Answers a request whose redispatch found no server: with the held response when there is one, else 503.</summary>
    private async Task EndWithoutServerAsync(ForwardAttempt attempt, string note)
    {
        if (attempt.Held is { } held)
        {
            await SendHeldAsync(attempt, held);
            return;
        }

        attempt.Failure = note;
        await RejectAsync(attempt.Http, attempt.Sample, attempt.Frontend, attempt.Backend, attempt.RequestId, note, attempt.Outcome);
    }

    private static bool Redispatches(int interval, int retryNumber, int retries) => interval switch
    {
        0 => false,
        < 0 => retryNumber == retries,
        _ => retryNumber % interval == 0,
    };

    private static bool HasBody(HttpContext http) =>
        http.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody
        ?? (http.Request.ContentLength > 0 || http.Request.Headers.ContainsKey("Transfer-Encoding"));

    private static BalancerTransformer CreateTransformer(ForwardAttempt attempt, RetryConditions retryOn)
    {
        var (frontend, backend) = (attempt.Frontend.Config, attempt.Backend.Config);
        return new BalancerTransformer(
            attempt.Sample,
            attempt.RequestId,
            backend.ResponseRules,
            frontend.ResponseRules,
            closeServerConnection: backend.Settings.HttpServerClose || frontend.Settings.HttpServerClose,
            retryOn);
    }

    private async Task RejectAsync(HttpContext http, SampleContext sample, FrontendRuntime frontend, BackendPool backend, string requestId, string reason, RequestOutcome outcome)
    {
        if (reason == "no server available")
        {
            BalancerLog.NoServer(_logger, requestId, backend.Name);
        }
        else
        {
            BalancerLog.QueueRejected(_logger, requestId, backend.Name, reason);
        }

        outcome.Reason = reason;
        outcome.Termination = Logging.TerminationStates.ForRejection(reason);
        await RequestPipeline.WriteResponseAsync(http, sample, requestId, ErrorPages.For(503, "forward", reason, backend.Config.Settings, frontend.Config.Settings));
    }

    private async Task ReportFailureAsync(ForwardAttempt attempt, ServerState server, ForwarderError error)
    {
        var http = attempt.Http;
        var exception = http.Features.Get<IForwarderErrorFeature>()?.Exception;
        var failure = Tls.OriginTlsFailures.Classify(exception) ?? ForwardFailures.Classify(error, exception);
        attempt.Failure = failure.Reason;
        attempt.Outcome.Termination = Logging.TerminationStates.ForFailure(error, exception);
        if (failure.ClientAborted)
        {
            BalancerLog.ClientAborted(_logger, attempt.RequestId, attempt.Backend.Name, server.Name, error.ToString());
            return;
        }

        BalancerLog.ForwardFailed(_logger, attempt.RequestId, attempt.Backend.Name, server.Name, error.ToString(), failure.Status, exception?.Message ?? "");
        if (http.Response.HasStarted)
        {
            return;
        }

        if (attempt.Held is { } held)
        {
            // An earlier attempt got a real server response, which is more useful to the client than a generated error.
            await SendHeldAsync(attempt, held);
            return;
        }

        // YARP has already set 502 or 504; the balancer's own mapping decides.
        http.Response.Clear();
        await RequestPipeline.WriteResponseAsync(
            http, attempt.Sample, attempt.RequestId, ErrorPages.For(failure.Status, "forward", failure.Reason, attempt.Backend.Config.Settings, attempt.Frontend.Config.Settings));
    }

    private static async Task SendHeldAsync(ForwardAttempt attempt, HeldResponse held)
    {
        var http = attempt.Http;
        attempt.Failure = $"server responded {held.Status}";
        http.Features.Set<IForwarderErrorFeature>(null);
        await held.WriteResponseAsync(http, attempt.Sample, attempt.RequestId, attempt.Backend.Config.ResponseRules, attempt.Frontend.Config.ResponseRules);
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
