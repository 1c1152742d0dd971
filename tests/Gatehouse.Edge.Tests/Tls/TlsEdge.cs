using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Gatehouse.Edge.Configuration;
using Gatehouse.Edge.Hosting;
using Gatehouse.Edge.Tests.Support;
using Gatehouse.Trust.Assertions;
using Gatehouse.Trust.Identity;
using Gatehouse.Trust.Keys;

namespace Gatehouse.Edge.Tests.Tls;

/// <summary>
/// A real edge loaded from edge.toml text in a fresh folder with the test certificates, in front of an
/// <see cref="EchoOrigin"/> (or the balancer URL the text names), with a client factory that trusts the test CA.
/// </summary>
internal sealed class TlsEdge : IAsyncDisposable
{
    public const string ValidToken = "good-token";

    private EchoOrigin? _origin;
    private EdgeHost? _edge;
    private string? _keyDirectory;

    public TlsEdge()
    {
        Folder = Path.Combine(Path.GetTempPath(), "gh-tls-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        Root = TestCertificates.CreateAuthority("Gatehouse Test Root");
    }

    public string Folder { get; }

    public X509Certificate2 Root { get; }

    public EdgeHost Edge => _edge ?? throw new InvalidOperationException("not started");

    public CapturingLoggerFactory Logs { get; } = new();

    /// <summary>Issues a leaf under <see cref="Root"/> and writes NAME.pem and NAME.key in <see cref="Folder"/>.</summary>
    public X509Certificate2 WriteLeaf(string name, params string[] hosts)
    {
        var leaf = TestCertificates.CreateLeaf(Root, name, hosts);
        TestCertificates.WritePem(leaf, Path.Combine(Folder, name + ".pem"), Path.Combine(Folder, name + ".key"));
        return leaf;
    }

    /// <summary>Starts the edge; without a [balancer] section in <paramref name="toml"/> it forwards to an echo origin.</summary>
    public async Task StartAsync(string toml, IReadOnlyList<EdgeListenerConfig>? additional = null, TimeSpan? checkInterval = null)
    {
        if (!toml.Contains("[balancer]", StringComparison.Ordinal))
        {
            _origin = await EchoOrigin.StartAsync();
            toml = $"[balancer]\nurl = \"{_origin.Address}\"\n\n{toml}";
        }

        if (!toml.Contains("[[routes]]", StringComparison.Ordinal))
        {
            toml += "\n\n[[routes]]\nprefix = \"/\"\nkind = \"public\"\n";
        }

        var config = EdgeConfigLoader.Parse(toml, Path.Combine(Folder, "edge.toml"), new Dictionary<string, string>());
        _keyDirectory = Path.Combine(Folder, "keys");
        var ring = KeyRing.OpenDirectory(_keyDirectory);
        _edge = await EdgeHost.StartAsync(
            config,
            new EdgeHostOptions
            {
                LoggerFactory = Logs,
                Decisions = new DecisionList(),
                Assertions = new EdgeAssertionIssuer(ring),
                PublicJwks = ring.PublicJwksJson,
                Tokens = new OneTokenValidator(),
                AdditionalListeners = additional ?? [],
                CertificateCheckInterval = checkInterval ?? TimeSpan.FromSeconds(30),
            },
            CancellationToken.None);
    }

    /// <summary>Returns the address of the first https listener.</summary>
    public Uri Https => Edge.Addresses.First(address => address.Scheme == Uri.UriSchemeHttps);

    /// <summary>
    /// Creates a client that trusts only <see cref="Root"/>, sends <paramref name="serverName"/> as SNI when set,
    /// reports each server certificate to <paramref name="onCertificate"/> and counts TCP connections in <paramref name="connections"/>.
    /// </summary>
    public HttpClient CreateClient(
        string? serverName = null, Action<X509Certificate2, X509Chain?>? onCertificate = null, ConnectionCounter? connections = null, bool http2Only = false)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            EnableMultipleHttp2Connections = false,
            MaxConnectionsPerServer = http2Only ? 1 : int.MaxValue,
        };
        handler.SslOptions.TargetHost = serverName;
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
        {
            var served = new X509Certificate2(certificate!);
            onCertificate?.Invoke(served, chain);
            return TrustsRoot(served, chain);
        };
        if (connections is not null)
        {
            handler.ConnectCallback = async (context, cancellationToken) =>
            {
                connections.Increment();
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            };
        }

        var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        if (http2Only)
        {
            client.DefaultRequestVersion = HttpVersion.Version20;
            client.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }

        return client;
    }

    /// <summary>Returns true when <paramref name="served"/> chains to <see cref="Root"/>; names are not checked.</summary>
    public bool TrustsRoot(X509Certificate2 served, X509Chain? sent)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.Add(Root);
        if (sent is not null)
        {
            chain.ChainPolicy.ExtraStore.AddRange(sent.ChainPolicy.ExtraStore);
        }

        return chain.Build(served);
    }

    public async ValueTask DisposeAsync()
    {
        if (_edge is not null)
        {
            await _edge.DisposeAsync();
        }

        if (_origin is not null)
        {
            await _origin.DisposeAsync();
        }

        Directory.Delete(Folder, recursive: true);
    }

    /// <summary>Accepts <see cref="ValidToken"/> as subject alice.</summary>
    private sealed class OneTokenValidator : ITokenValidator
    {
        public ValueTask<TokenCheck> ValidateAsync(string token, CancellationToken cancellationToken) =>
            ValueTask.FromResult(token == ValidToken
                ? new TokenCheck(TokenFailure.None, "alice", [], "test", DateTimeOffset.MaxValue, null)
                : TokenCheck.Reject(TokenFailure.BadSignature));
    }
}

/// <summary>Counts the TCP connections a client opens.</summary>
internal sealed class ConnectionCounter
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Increment() => Interlocked.Increment(ref _count);
}
