using System.Text;
using Gatehouse.Balancer.Configuration;
using Gatehouse.Balancer.LoadBalancing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Gatehouse.Balancer.Runtime;

/// <summary>
/// Cookie persistence with HAProxy 2.6's rules. On the request: the server named by the cookie is used when it
/// is up and not disabled (its weight may be 0), else the balance algorithm chooses. In insert mode with
/// `indirect` the cookie is removed before forwarding, and in prefix mode the "VALUE~" prefix is removed.
/// <see cref="CookieResponse.Apply"/> applies the response rules.
/// </summary>
internal static class CookiePersistence
{
    public const char PrefixDelimiter = '~';

    /// <summary>
    /// Finds the up server whose cookie value the request carries, or returns null when there is none.
    /// It also removes the cookie or its prefix from the request's Cookie header, as the mode requires.
    /// </summary>
    public static ServerState? ReadRequest(CookieSettings settings, ServerState[] servers, IHeaderDictionary headers) =>
        ReadRequest(settings, servers, headers, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), out _);

    /// <summary>
    /// Like the overload without dates, and also reads the `maxidle`/`maxlife` dates of the cookie value into
    /// <paramref name="dates"/>. A cookie whose dates are out of range selects no server, as in HAProxy.
    /// </summary>
    public static ServerState? ReadRequest(CookieSettings settings, ServerState[] servers, IHeaderDictionary headers, long now, out CookieDates dates)
    {
        dates = default;
        var lines = headers.Cookie;
        if (lines.Count == 0)
        {
            return null;
        }

        ServerState? found = null;
        var changed = false;
        var rewritten = new string?[lines.Count];
        for (var i = 0; i < lines.Count; i++)
        {
            rewritten[i] = RewriteLine(settings, servers, lines[i] ?? "", now, ref found, ref dates, ref changed);
        }

        if (changed)
        {
            var kept = new List<string>(rewritten.Length);
            foreach (var line in rewritten)
            {
                if (!string.IsNullOrEmpty(line))
                {
                    kept.Add(line);
                }
            }

            if (kept.Count == 0)
            {
                headers.Remove("Cookie");
            }
            else
            {
                headers.Cookie = new StringValues([.. kept]);
            }
        }

        return found;
    }

    private static string RewriteLine(
        CookieSettings settings, ServerState[] servers, string line, long now, ref ServerState? found, ref CookieDates dates, ref bool changed)
    {
        var output = new StringBuilder(line.Length);
        var lineChanged = false;
        foreach (var range in line.AsSpan().Split(';'))
        {
            var pair = line.AsSpan()[range].Trim();
            var equals = pair.IndexOf('=');
            if (equals < 0 || !pair[..equals].Trim().SequenceEqual(settings.Name))
            {
                Append(output, pair);
                continue;
            }

            var value = pair[(equals + 1)..].Trim();
            var serverValue = value;
            if (settings.Mode == CookieMode.Prefix)
            {
                var delimiter = value.IndexOf(PrefixDelimiter);
                serverValue = delimiter < 0 ? value : value[..delimiter];
                if (delimiter >= 0)
                {
                    // The server receives its own cookie value again, without the prefix the balancer added.
                    Append(output, string.Concat(pair[..(equals + 1)], value[(delimiter + 1)..]));
                    lineChanged = true;
                }
                else
                {
                    Append(output, pair);
                }
            }
            else if (settings.Mode == CookieMode.Insert && settings.Indirect)
            {
                lineChanged = true;
            }
            else
            {
                Append(output, pair);
            }

            if (found is null && FindDatedServer(settings, servers, serverValue, now, out var cookieDates) is { } server)
            {
                found = server;
                dates = cookieDates;
            }
        }

        changed |= lineChanged;
        return lineChanged ? output.ToString() : line;
    }

    private static void Append(StringBuilder output, ReadOnlySpan<char> pair)
    {
        if (pair.IsEmpty)
        {
            return;
        }

        if (output.Length > 0)
        {
            output.Append("; ");
        }

        output.Append(pair);
    }

    private static ServerState? FindDatedServer(
        CookieSettings settings, ServerState[] servers, ReadOnlySpan<char> value, long now, out CookieDates dates)
    {
        dates = default;
        var bar = settings.Mode == CookieMode.Prefix ? -1 : value.IndexOf(CookieDates.Delimiter);
        if (bar >= 0)
        {
            dates = CookieDates.Parse(value[bar..]);
            value = value[..bar];
            if (dates.IsExpired(settings, now))
            {
                dates = default;
                return null;
            }
        }

        return FindServer(servers, value);
    }

    private static ServerState? FindServer(ServerState[] servers, ReadOnlySpan<char> value)
    {
        foreach (var server in servers)
        {
            if (server.Config.Cookie is { } cookie && value.SequenceEqual(cookie) && server.AcceptsPersistent)
            {
                return server;
            }
        }

        return null;
    }
}
