using System.Collections.Concurrent;
using System.Security.Cryptography;
using Gatehouse.Edge.Forwarding;
using Gatehouse.Edge.Hosting;
using Gatehouse.Edge.Logging;
using Gatehouse.Edge.Pipeline;
using Gatehouse.Trust.Assertions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Edge.Guests;

/// <summary>
/// The guest's "balancer" backend: a listener on 127.0.0.1 that forwards each guest request to the balancer
/// with the downstream request's id and a fresh edge assertion, exactly as a forward from a public or
/// protected route. A guest request reaches it through a per-request backend whose override host carries a
/// random ticket (<c>TICKET.relay.gatehouse.invalid</c>); the ticket is valid only while that guest runs,
/// and a request without a live ticket gets 403. The ticket never reaches the balancer, because the forwarder
/// sends the balancer's own host.
/// </summary>
internal sealed class GuestRelay : IAsyncDisposable
{
    public const string HostSuffix = ".relay.gatehouse.invalid";

    private readonly ConcurrentDictionary<string, RelayTicket> _tickets = new(StringComparer.Ordinal);
    private readonly WebApplication _app;
    private readonly BalancerForwarder _forwarder;
    private readonly IEdgeAssertionIssuer _assertions;
    private readonly ILogger _logger;

    private GuestRelay(WebApplication app, BalancerForwarder forwarder, IEdgeAssertionIssuer assertions, ILogger logger)
    {
        _app = app;
        _forwarder = forwarder;
        _assertions = assertions;
        _logger = logger;
    }

    /// <summary>Base URL of the relay listener.</summary>
    public Uri Address { get; private set; } = null!;

    public static async Task<GuestRelay> StartAsync(
        BalancerForwarder forwarder, IEdgeAssertionIssuer assertions, ILoggerFactory loggers, long maxBodyBytes, CancellationToken cancellationToken)
    {
        var app = EdgeListener.CreateBuilder(loggers, "http://127.0.0.1:0", maxBodyBytes).Build();
        var relay = new GuestRelay(app, forwarder, assertions, loggers.CreateLogger("Gatehouse.Edge.Guests"));
        app.Run(relay.HandleAsync);
        await app.StartAsync(cancellationToken);
        relay.Address = EdgeListener.GetBoundAddress(app);
        return relay;
    }

    /// <summary>Makes a ticket for one guest run; disposing the lease revokes it.</summary>
    public Lease Open(RelayTicket ticket)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        _tickets[id] = ticket;
        return new Lease(this, id);
    }

    private async Task HandleAsync(HttpContext context)
    {
        var host = context.Request.Host.Host;
        var id = host.EndsWith(HostSuffix, StringComparison.OrdinalIgnoreCase) ? host[..^HostSuffix.Length] : string.Empty;
        if (!_tickets.TryGetValue(id, out var ticket))
        {
            EdgeLog.GuestRelayRejected(_logger, context.Connection.RemotePort);
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        var assertion = _assertions.Issue(new EdgeAssertion(
            ticket.RequestId, ticket.ClientAddress, ticket.Subject, ticket.Groups, ticket.Variant, Decision: "allow"));
        var (failure, error) = await _forwarder.ForwardAsync(context, ticket.RequestId, assertion, ticket.Variant);
        if (failure is null)
        {
            return;
        }

        EdgeLog.GuestBalancerFailed(_logger, ticket.RequestId, failure.Value.ToString(), error?.Message ?? "none");
        if (!context.Response.HasStarted)
        {
            context.Response.Clear();
            context.Response.StatusCode = failure.Value.StatusCode();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>A live ticket; its <see cref="Host"/> is the override host of the guest's balancer backend.</summary>
    public sealed class Lease(GuestRelay relay, string id) : IDisposable
    {
        public string Host { get; } = id + HostSuffix;

        public void Dispose() => relay._tickets.TryRemove(id, out _);
    }
}
