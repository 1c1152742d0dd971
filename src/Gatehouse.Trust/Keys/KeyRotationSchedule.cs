namespace Gatehouse.Trust.Keys;

/// <summary>A key that a newer key replaced for signing, and the time the newer key activated.</summary>
internal readonly record struct ReplacedKey(KeyInfo Key, DateTimeOffset StoppedSigningAt);

/// <summary>When a ring is due for rotation and which keys no longer sign, computed from its key list.</summary>
internal static class KeyRotationSchedule
{
    /// <summary>Returns when the next rotation is due: the newest unretired key's creation plus the interval.</summary>
    public static DateTimeOffset RotationDueAt(IReadOnlyList<KeyInfo> keys, TimeSpan rotationInterval)
    {
        var newest = keys.Where(k => k.RetiredAt is null).MaxBy(k => k.CreatedAt);
        return newest is null ? DateTimeOffset.MinValue : newest.CreatedAt + rotationInterval;
    }

    /// <summary>
    /// Lists each unretired key with the activation time of the key that follows it in signing order. That
    /// order is the one the ring uses to choose its current key: activation, then creation, then key id.
    /// </summary>
    public static List<ReplacedKey> ReplacedKeys(IReadOnlyList<KeyInfo> keys)
    {
        var ordered = keys.Where(k => k.RetiredAt is null)
            .OrderBy(k => k.ActivatesAt)
            .ThenBy(k => k.CreatedAt)
            .ThenBy(k => k.KeyId, StringComparer.Ordinal)
            .ToList();
        var replaced = new List<ReplacedKey>(ordered.Count);
        for (var i = 0; i + 1 < ordered.Count; i++)
        {
            replaced.Add(new ReplacedKey(ordered[i], ordered[i + 1].ActivatesAt));
        }

        return replaced;
    }

    /// <summary>Returns the earliest time a rotation or a retirement becomes due.</summary>
    public static DateTimeOffset NextDueAt(IReadOnlyList<KeyInfo> keys, KeyRotationOptions options)
    {
        var next = RotationDueAt(keys, options.RotationInterval);
        foreach (var replaced in ReplacedKeys(keys))
        {
            var retireAt = replaced.StoppedSigningAt + options.RetireAfter;
            if (retireAt < next)
            {
                next = retireAt;
            }
        }

        return next;
    }
}
