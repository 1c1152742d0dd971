using System.Security.Cryptography;
using System.Text;

namespace Gatehouse.DevStack.Identity;

/// <summary>
/// Demo account of the dev issuer. DEVELOPMENT ONLY: each password equals the user name and is public.
/// </summary>
internal sealed record DevUser(string Name, string DisplayName, IReadOnlyList<string> Groups)
{
    /// <summary>
    /// The demo accounts: alice (staff), bob (staff, admin) and carol (no groups).
    /// </summary>
    public static IReadOnlyList<DevUser> All { get; } =
    [
        new("alice", "Alice Example", ["staff"]),
        new("bob", "Bob Example", ["staff", "admin"]),
        new("carol", "Carol Example", []),
    ];

    /// <summary>
    /// Finds a user by exact, case-sensitive name.
    /// </summary>
    public static DevUser? Find(string? name) => All.FirstOrDefault(user => string.Equals(user.Name, name, StringComparison.Ordinal));

    /// <summary>
    /// Checks the name and password against every account with fixed-time comparisons, so the loop takes the same
    /// path whichever account matches. Returns the user, or null when the name is unknown or the password is wrong.
    /// </summary>
    public static DevUser? FindByPassword(string? name, string? password)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name ?? string.Empty);
        var passwordBytes = Encoding.UTF8.GetBytes(password ?? string.Empty);
        DevUser? match = null;
        foreach (var user in All)
        {
            var expected = Encoding.UTF8.GetBytes(user.Name);
            var nameMatches = CryptographicOperations.FixedTimeEquals(nameBytes, expected);
            var passwordMatches = CryptographicOperations.FixedTimeEquals(passwordBytes, expected);
            if (nameMatches & passwordMatches)
            {
                match = user;
            }
        }

        return match;
    }
}
