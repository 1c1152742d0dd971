namespace Gatehouse.Cli.Stack;

/// <summary>How to start the whole demo stack; defaults match <c>gatehouse up</c> with no arguments.</summary>
internal sealed class StackOptions
{
    /// <summary>Folder holding examples/haproxy.cfg, examples/edge.toml and examples/static.</summary>
    public required string ConfigDirectory { get; init; }

    public required RunFolder RunFolder { get; init; }

    /// <summary>Edge port on 127.0.0.1; 0 picks a free one.</summary>
    public int EdgePort { get; init; } = 8080;

    /// <summary>Balancer bind on loopback; port 0 picks a free one.</summary>
    public string BalancerBind { get; init; } = "127.0.0.1:8081";

    /// <summary>Bind of the balancer's stats frontend (stats page and metrics) on loopback; port 0 picks a free one.</summary>
    public string StatsBind { get; init; } = "127.0.0.1:8404";

    /// <summary>Address of the edge's metrics listener (Prometheus text and edge panel) on loopback; port 0 picks a free one.</summary>
    public string EdgeMetricsListen { get; init; } = "127.0.0.1:9464";

    /// <summary>Dev issuer listen address; port 0 picks a free one.</summary>
    public string IssuerListen { get; init; } = "127.0.0.1:8090";

    /// <summary>
    /// Port of the edge's HTTPS listener on 127.0.0.1 with the development CA's certificate (<c>up --tls</c>);
    /// null means no HTTPS listener, 0 picks a free port.
    /// </summary>
    public int? TlsPort { get; init; }

    /// <summary>Fixed demo origin ports (9101…9121) when true; free ports when false.</summary>
    public bool FixedOriginPorts { get; init; } = true;
}
