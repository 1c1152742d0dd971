namespace Gatehouse.Balancer.Acls;

/// <summary>A sample fetch keyword: whether it takes an argument, its default match method, and how to build it.</summary>
internal sealed record FetchDefinition(string Name, bool TakesArgument, MatchMethod DefaultMatch, Func<string, SampleFetch> Create);

/// <summary>
/// The sample fetches the balancer supports. Names, default match methods and meanings follow HAProxy;
/// the `edge.*` fetches read the verified edge assertion and return nothing when there is none.
/// </summary>
internal static class FetchCatalog
{
    private static readonly StringFetch Path = new(c => c.Path);
    private static readonly StringFetch Url = new(c => c.Target);
    private static readonly StringFetch Base = new(c => string.Concat(c.Http.Request.Headers.Host.ToString(), c.Path));
    private static readonly StringFetch Query = new(c => c.Query);
    private static readonly StringFetch Method = new(c => c.Http.Request.Method);

    // The token of "Authorization: Bearer TOKEN" (scheme compared without case), as HAProxy's http_auth_bearer.
    private static readonly StringFetch BearerToken = new(c =>
        c.Http.Request.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? header[7..].Trim()
            : null);
    private static readonly SourceFetch Source = new();

    // Read in http-response and http-after-response conditions, once the response status is set.
    private static readonly IntegerFetch Status = new(c => c.Http.Response.StatusCode);
    private static readonly IntegerFetch DestinationPort = new(c => c.Http.Connection.LocalPort);
    private static readonly BooleanFetch SslFrontendConnection = new(c => c.Http.Request.IsHttps);
    private static readonly BooleanFetch AlwaysTrue = new(_ => true);
    private static readonly BooleanFetch AlwaysFalse = new(_ => false);
    private static readonly StringFetch EdgeSubject = new(c => c.Assertion?.Subject);
    private static readonly StringFetch EdgeVariant = new(c => c.Assertion?.Variant);
    private static readonly StringFetch EdgeClient = new(c => c.Assertion?.ClientAddress);
    private static readonly StringFetch EdgeDecision = new(c => c.Assertion?.Decision);
    private static readonly EdgeGroupsFetch EdgeGroups = new();
    private static readonly BooleanFetch EdgeVerified = new(c => c.Assertion is not null);

    public static readonly IReadOnlyDictionary<string, FetchDefinition> ByName = Build();

    private static Dictionary<string, FetchDefinition> Build()
    {
        var all = new List<FetchDefinition>
        {
            Fixed("path", MatchMethod.String, Path),
            Fixed("path_beg", MatchMethod.Begin, Path),
            Fixed("path_end", MatchMethod.End, Path),
            Fixed("path_reg", MatchMethod.Regex, Path),
            Fixed("path_sub", MatchMethod.Substring, Path),
            Fixed("path_dir", MatchMethod.Directory, Path),
            Fixed("base", MatchMethod.String, Base),
            Fixed("url", MatchMethod.String, Url),
            Fixed("url_beg", MatchMethod.Begin, Url),
            Fixed("url_sub", MatchMethod.Substring, Url),
            Fixed("url_reg", MatchMethod.Regex, Url),
            Named("url_param", MatchMethod.String, name => new UrlParameterFetch(name)),
            Named("urlp", MatchMethod.String, name => new UrlParameterFetch(name)),
            Fixed("query", MatchMethod.String, Query),
            Fixed("method", MatchMethod.String, Method),
            Fixed("http_auth_bearer", MatchMethod.String, BearerToken),
            Named("hdr", MatchMethod.String, name => new HeaderFetch(name)),
            Named("req.hdr", MatchMethod.String, name => new HeaderFetch(name)),
            Named("hdr_beg", MatchMethod.Begin, name => new HeaderFetch(name)),
            Named("hdr_end", MatchMethod.End, name => new HeaderFetch(name)),
            Named("hdr_sub", MatchMethod.Substring, name => new HeaderFetch(name)),
            Named("hdr_reg", MatchMethod.Regex, name => new HeaderFetch(name)),
            Named("hdr_cnt", MatchMethod.Integer, name => new HeaderCountFetch(name)),
            Named("req.hdr_cnt", MatchMethod.Integer, name => new HeaderCountFetch(name)),
            Named("req.cook", MatchMethod.String, name => new CookieFetch(name)),
            Named("cook", MatchMethod.String, name => new CookieFetch(name)),
            Named("res.hdr", MatchMethod.String, name => new HeaderFetch(name, response: true)),
            Named("shdr", MatchMethod.String, name => new HeaderFetch(name, response: true)),
            Named("res.cook", MatchMethod.String, name => new SetCookieFetch(name)),
            Named("scook", MatchMethod.String, name => new SetCookieFetch(name)),
            Named("capture.req.hdr", MatchMethod.String, index => new CaptureFetch(false, index)),
            Named("capture.res.hdr", MatchMethod.String, index => new CaptureFetch(true, index)),
            Fixed("status", MatchMethod.Integer, Status),
            Fixed("src", MatchMethod.Address, Source),
            Fixed("dst_port", MatchMethod.Integer, DestinationPort),
            Fixed("ssl_fc", MatchMethod.Boolean, SslFrontendConnection),
            Fixed("ssl_fc_sni", MatchMethod.String, Tls.SslFetches.ServerName),
            Fixed("ssl_fc_protocol", MatchMethod.String, Tls.SslFetches.Protocol),
            Fixed("ssl_fc_alpn", MatchMethod.String, Tls.SslFetches.Alpn),
            Fixed("ssl_c_used", MatchMethod.Boolean, Tls.SslFetches.ClientCertificateUsed),
            Fixed("ssl_c_verify", MatchMethod.Integer, Tls.SslFetches.ClientVerifyResult),
            Fixed("ssl_c_s_dn", MatchMethod.String, Tls.SslFetches.ClientSubject),
            Named("str", MatchMethod.String, value => new StringFetch(_ => value)),
            Fixed("always_true", MatchMethod.Boolean, AlwaysTrue),
            Fixed("always_false", MatchMethod.Boolean, AlwaysFalse),
            Fixed("edge.sub", MatchMethod.String, EdgeSubject),
            Fixed("edge.groups", MatchMethod.String, EdgeGroups),
            Fixed("edge.variant", MatchMethod.String, EdgeVariant),
            Fixed("edge.client", MatchMethod.String, EdgeClient),
            Fixed("edge.decision", MatchMethod.String, EdgeDecision),
            Fixed("edge.verified", MatchMethod.Boolean, EdgeVerified),
        };
        return all.ToDictionary(definition => definition.Name, StringComparer.Ordinal);
    }

    private static FetchDefinition Fixed(string name, MatchMethod match, SampleFetch fetch) => new(name, false, match, _ => fetch);

    private static FetchDefinition Named(string name, MatchMethod match, Func<string, SampleFetch> create) =>
        new(name, true, match, create);
}
