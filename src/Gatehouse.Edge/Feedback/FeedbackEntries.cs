using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Gatehouse.Edge.Feedback;

/// <summary>Penalty box entry names of feedback rules, shared by every edge on one Redis.</summary>
internal static class FeedbackEntries
{
    // The penalty box limits an entry to 256 bytes of UTF-8; longer keys are hashed.
    private const int MaxKeyBytes = 200;

    /// <summary>
    /// Returns <c>feedback:RULE:KEY</c> for a penalty box rule and <c>feedback-signin:RULE:KEY</c> for a
    /// require_sign_in rule, whose entry is a marker that blocks nothing by itself. The rule name in the entry
    /// lets a request name the rule that marked its key, because the penalty box stores no reason.
    /// </summary>
    public static string For(FeedbackRule rule, string key)
    {
        var value = Encoding.UTF8.GetByteCount(key) <= MaxKeyBytes
            ? key
            : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        var prefix = rule.Effect == FeedbackEffect.RequireSignIn ? "feedback-signin:" : "feedback:";
        return prefix + rule.Name + ":" + value;
    }

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
}
