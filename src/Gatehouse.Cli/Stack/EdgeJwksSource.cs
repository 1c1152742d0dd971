using Gatehouse.Trust.Assertions;

namespace Gatehouse.Cli.Stack;

/// <summary>
/// Fetches the edge's published JWKS for a balancer started in the same process. A configured URL with
/// port 0 means "the edge this stack starts", whose real port is known only after the balancer is up,
/// so the address is resolved at fetch time.
/// </summary>
internal sealed class EdgeJwksSource : IJwksSource
{
    private readonly Uri _configured;
    private readonly Func<Uri?> _edgeAddress;
    private readonly HttpClient _http;

    public EdgeJwksSource(Uri configured, Func<Uri?> edgeAddress, HttpClient http)
    {
        _configured = configured;
        _edgeAddress = edgeAddress;
        _http = http;
    }

    public ValueTask<string> GetJwksJsonAsync(CancellationToken cancellationToken)
    {
        var address = _configured;
        if (address.Port == 0)
        {
            var edge = _edgeAddress() ?? throw new HttpRequestException($"edge not started yet; cannot fetch {_configured}");
            address = new UriBuilder(address) { Host = edge.Host, Port = edge.Port }.Uri;
        }

        return new HttpJwksSource(address, _http).GetJwksJsonAsync(cancellationToken);
    }
}
