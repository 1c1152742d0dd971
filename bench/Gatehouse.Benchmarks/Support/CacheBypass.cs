using System.Reflection;

namespace Gatehouse.Benchmarks.Support;

/// <summary>
/// Replaces a validator's private result cache with one of capacity 1. Alternating two tokens then misses
/// the cache on every call, because storing one result evicts the other. The public API has no switch to
/// turn the cache off, so this is the only way to time the full check on a validator built as in production.
/// </summary>
internal static class CacheBypass
{
    /// <summary>Sets <paramref name="fieldName"/> on <paramref name="target"/> to a fresh capacity-1 cache.</summary>
    /// <exception cref="InvalidOperationException">The field is gone or has another type; the benchmark needs updating.</exception>
    public static void ShrinkCache(object target, string fieldName)
    {
        var field = target.GetType().GetField(fieldName, BindingFlags.Instance | BindingFlags.NonPublic)
            ?? throw new InvalidOperationException($"{target.GetType().Name} has no private field '{fieldName}'.");
        var replacement = Activator.CreateInstance(field.FieldType, 1)
            ?? throw new InvalidOperationException($"Cannot create a {field.FieldType.Name} with capacity 1.");
        field.SetValue(target, replacement);
    }
}
