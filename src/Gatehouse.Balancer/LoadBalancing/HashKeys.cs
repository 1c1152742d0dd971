using Gatehouse.Balancer.Acls;
using Gatehouse.Balancer.Configuration;

namespace Gatehouse.Balancer.LoadBalancing;

/// <summary>The request value that `balance uri`, `balance url_param` and `balance hdr` hash.</summary>
internal static class HashKeys
{
    public static Func<SampleContext, string?> For(ProxySettings settings) => settings.Balance switch
    {
        BalanceAlgorithm.Uri => context => UriKey(context, settings.UriHash),
        BalanceAlgorithm.UrlParameter => new UrlParameterFetch(settings.BalanceKey!).FetchString,
        _ => context => HeaderKey(context, settings.BalanceKey!),
    };

    /// <summary>The path, with the query under `whole`, cut before the (depth+1)th '/' and to `len` characters.</summary>
    private static string UriKey(SampleContext context, UriHashOptions options)
    {
        var uri = options.Whole ? context.Target : context.Path;
        if (options.Depth > 0)
        {
            var slashes = 0;
            for (var i = 0; i < uri.Length; i++)
            {
                if (uri[i] == '/' && ++slashes > options.Depth)
                {
                    uri = uri[..i];
                    break;
                }
            }
        }

        return options.Length > 0 && uri.Length > options.Length ? uri[..options.Length] : uri;
    }

    /// <summary>The first line of the header; null when it is missing or empty, so the request goes round robin.</summary>
    private static string? HeaderKey(SampleContext context, string name)
    {
        var lines = context.Http.Request.Headers[name];
        return lines.Count == 0 || string.IsNullOrEmpty(lines[0]) ? null : lines[0];
    }
}
