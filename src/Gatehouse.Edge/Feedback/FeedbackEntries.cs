using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Gatehouse.Edge.Feedback;

/// <summary>Penalty box entry names of feedback rules, shared by every edge on one Redis.</summary>
internal static class FeedbackEntries
{
    // Keys longer than this are hashed, and so is any key that would take the entry over the 256 bytes of
    // UTF-8 that the penalty box and the rate counter accept.
    private const int MaxKeyBytes = 200;
    private const int MaxEntryBytes = 256;

    /// <summary>
    /// Returns <c>feedback:RULE:KEY</c> for a penalty box rule, <c>feedback-signin:RULE:KEY</c> for a
    /// require_sign_in rule and <c>feedback-limit:RULE:KEY</c> for a rate_limit rule. The last two are markers
    /// that block nothing by themselves. The rule name in the entry lets a request name the rule that marked
    /// its key, because the penalty box stores no reason.
    /// </summary>
    public static string For(FeedbackRule rule, string key)
    {
        var prefix = rule.Effect switch
        {
            FeedbackEffect.RequireSignIn => "feedback-signin:",
            FeedbackEffect.RateLimit => "feedback-limit:",
            _ => "feedback:",
        };
        return Join(prefix + rule.Name + ":", key);
    }

    /// <summary>
    /// Returns the rate counter entry of a rate_limit rule's key, <c>RULE|KEY</c>. It lives in a counter of its
    /// own, so it never shares a count with a <c>[[rate_limits]]</c> rule or a guest.
    /// </summary>
    public static string CounterFor(FeedbackRule rule, string key) => Join(rule.Name + "|", key);

    /// <summary>
    /// Returns the key in the form the edge sees it: an IPv4-mapped IPv6 address (as in an HAProxy
    /// <c>type ipv6</c> table) becomes the IPv4 address, so both tiers name one client the same way.
    /// </summary>
    public static string Normalize(FeedbackRule rule, string key)
    {
        if (rule.Key != Signals.Feedback.FeedbackKeyKind.ClientIp || !IPAddress.TryParse(key, out var address))
        {
            return key;
        }

        return address.IsIPv4MappedToIPv6 ? address.MapToIPv4().ToString() : address.ToString();
    }

    private static string Join(string head, string key)
    {
        var keyBytes = Encoding.UTF8.GetByteCount(key);
        if (keyBytes <= MaxKeyBytes && Encoding.UTF8.GetByteCount(head) + keyBytes <= MaxEntryBytes)
        {
            return head + key;
        }

        return head + "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }
}
