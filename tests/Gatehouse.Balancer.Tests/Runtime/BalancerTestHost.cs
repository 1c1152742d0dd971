using System.Net.Sockets;
using System.Text;
using Gatehouse.Balancer.Configuration;
using Gatehouse.Balancer.Runtime;

namespace Gatehouse.Balancer.Tests.Runtime;

/// <summary>A balancer on 127.0.0.1 port 0 with a fake verifier, a recording sink and a client for its first frontend.</summary>
internal sealed class BalancerTestHost : IAsyncDisposable
{
    private BalancerTestHost(BalancerHost host, HttpClient client, RecordingSink sink, FakeAssertionVerifier verifier)
    {
        Host = host;
        Client = client;
        Sink = sink;
        Verifier = verifier;
    }

    public BalancerHost Host { get; }

    public HttpClient Client { get; }

    public RecordingSink Sink { get; }

    public FakeAssertionVerifier Verifier { get; }

    public static Task<BalancerTestHost> StartAsync(string cfg) => StartAsync(BalancerConfigLoader.Parse(cfg, "t.cfg", new Dictionary<string, string>()));

    public static async Task<BalancerTestHost> StartAsync(BalancerConfig config)
    {
        var sink = new RecordingSink();
        var verifier = new FakeAssertionVerifier();
        var options = new BalancerHostOptions
        {
            DecisionSink = sink,
            AssertionVerifierFactory = uri =>
            {
                verifier.JwksUris.Add(uri);
                return verifier;
            },
        };
        var host = await BalancerHost.StartAsync(config, options, CancellationToken.None);
        var handler = new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, ResponseHeaderEncodingSelector = (_, _) => Encoding.UTF8 };
        var client = new HttpClient(handler) { BaseAddress = host.BoundAddresses[config.Frontends[0].Name][0], Timeout = TimeSpan.FromSeconds(30) };
        return new BalancerTestHost(host, client, sink, verifier);
    }

    /// <summary>Returns a loopback port that refuses connections: bound once, then released.</summary>
    public static int RefusedPort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public static HttpRequestMessage Get(string rawTarget, string? assertion = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri("http://placeholder" + rawTarget, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true }));
        if (assertion is not null)
        {
            request.Headers.Add("X-Gatehouse-Assertion", assertion);
        }

        return request;
    }

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        var baseAddress = Client.BaseAddress!;
        request.RequestUri = new Uri(
            $"http://{baseAddress.Authority}{request.RequestUri!.PathAndQuery}", new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        return Client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
    }
}
