using Gatehouse.Edge.Feedback;

namespace Gatehouse.Edge.Configuration;

/// <summary>
/// Reads the stricter limit of a <c>[[feedback]]</c> rule with <c>action = "rate_limit"</c>. The keys
/// <c>limit</c> and <c>window</c> mean what they mean in <c>[[rate_limits]]</c>: requests per second averaged
/// over a window of 1, 10 or 60 seconds.
/// </summary>
internal static class FeedbackLimitReader
{
    /// <summary>
    /// Returns the limit of a rate_limit rule, or null after reporting a problem. For any other action, reports
    /// <c>limit</c> or <c>window</c> when present and returns null.
    /// </summary>
    public static FeedbackLimit? Read(SectionReader reader, string name, FeedbackEffect? action, long limitPerSecond, TimeSpan window)
    {
        if (action != FeedbackEffect.RateLimit)
        {
            if (action is not null && new[] { "limit", "window" }.FirstOrDefault(reader.Has) is { } key)
            {
                reader.Error(reader.LineOf(key), $"key '{key}' in feedback rule \"{name}\" only applies with action = \"rate_limit\"; remove it or set action = \"rate_limit\"");
            }

            return null;
        }

        var ok = true;
        if (!reader.Has("limit"))
        {
            reader.Error(reader.LineOf("action"), $"feedback rule \"{name}\" with action = \"rate_limit\" needs key 'limit', the allowed requests per second averaged over 'window'; add limit = 1");
            ok = false;
        }
        else if (limitPerSecond < 1)
        {
            // SectionReader already reported the value that is not an integer from 1 to 70000000.
            ok = false;
        }

        if (window != TimeSpan.FromSeconds(1) && window != TimeSpan.FromSeconds(10) && window != TimeSpan.FromSeconds(60))
        {
            reader.Error(reader.LineOf("window"), $"key 'window' in feedback rule \"{name}\" must be \"1s\", \"10s\" or \"60s\", the windows rate counters keep");
            ok = false;
        }

        return ok ? new FeedbackLimit(limitPerSecond, (int)window.TotalSeconds) : null;
    }
}
