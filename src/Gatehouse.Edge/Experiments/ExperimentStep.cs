using Gatehouse.Edge.Pipeline;
using Gatehouse.Telemetry;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Edge.Experiments;

/// <summary>
/// The A/B step of the pipeline: picks a variant for every experiment whose prefix matches and returns
/// them as one string such as <c>checkout=new;banner=control</c> for the origin header, the edge
/// assertion and the decision record.
/// </summary>
internal sealed class ExperimentStep
{
    /// <summary>Request header that names, for the origin, the variants the request belongs to.</summary>
    public const string VariantHeader = "X-Gatehouse-Variant";

    private readonly IReadOnlyList<Experiment> _experiments;
    private readonly bool _secureCookies;

    public ExperimentStep(IReadOnlyList<Experiment> experiments, bool secureCookies)
    {
        _experiments = experiments;
        _secureCookies = secureCookies;
    }

    /// <summary>Assigns the variants of every experiment whose prefix matches the routing path; null when none does.</summary>
    public string? Assign(HttpContext context, string path, string? subject)
    {
        if (_experiments.Count == 0)
        {
            return null;
        }

        string? visitor = null;
        List<string>? assigned = null;
        foreach (var experiment in _experiments)
        {
            if (experiment.Prefix is not null && !path.StartsWith(experiment.Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var key = experiment.Stickiness == Stickiness.Subject && subject is not null
                ? "sub:" + subject
                : "visitor:" + (visitor ??= VisitorId(context));
            (assigned ??= []).Add($"{experiment.Name}={VariantAssigner.Assign(experiment, key).Name}");
        }

        return assigned is null ? null : string.Join(';', assigned);
    }

    /// <summary>Reads the visitor cookie, or creates a new id and sets the cookie on the response.</summary>
    private string VisitorId(HttpContext context)
    {
        // Request.Cookies tolerates malformed headers (it skips what it cannot parse), and the format
        // check rejects anything that is not an id this edge could have issued.
        var existing = context.Request.Cookies[VariantAssigner.VisitorCookie];
        if (VariantAssigner.IsVisitorId(existing))
        {
            return existing!;
        }

        var created = RequestIds.Create();
        context.Response.Cookies.Append(VariantAssigner.VisitorCookie, created, new CookieOptions
        {
            HttpOnly = true,
            Secure = _secureCookies || context.Request.IsHttps,
            SameSite = SameSiteMode.Lax,
            Path = "/",
            MaxAge = TimeSpan.FromDays(365),
        });
        return created;
    }
}
