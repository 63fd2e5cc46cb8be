using System.Collections.Immutable;

namespace MaintenancePortal.Domain.Webhooks;

/// <summary>
/// Which event types an endpoint receives: full type names or patterns in which <c>*</c> stands
/// for any run of characters (<c>com.maintenanceportal.instance.*</c>, <c>*.completed</c>, <c>*</c>).
/// A pattern that matches no known type is refused when it is set, so a typo is caught at once
/// rather than as silence.
/// </summary>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.EventTypeFilter")]
public sealed record EventTypeFilter([property: Id(0)] ImmutableList<string> Patterns)
{
    /// <summary>Patterns one endpoint can have.</summary>
    public const int MaxPatterns = 50;

    /// <summary>Every event type.</summary>
    public static EventTypeFilter All { get; } = new(["*"]);

    /// <summary>The filter of the given patterns, each checked against the known types; none or empty means every type.</summary>
    public static EventTypeFilter Parse(IEnumerable<string>? patterns, IReadOnlyCollection<string> knownTypes)
    {
        var list = (patterns ?? []).Select(p => p?.Trim() ?? "").ToImmutableList();
        if (list.IsEmpty)
        {
            return All;
        }

        if (list.Count > MaxPatterns)
        {
            throw new InvalidRequestException("eventTypes", $"An endpoint has at most {MaxPatterns} event type patterns.");
        }

        for (var i = 0; i < list.Count; i++)
        {
            var pattern = list[i];
            if (pattern.Length is 0 or > 200 || pattern.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '*')))
            {
                throw new InvalidRequestException($"eventTypes[{i}]",
                    $"'{(pattern.Length > 200 ? pattern[..200] + "…" : pattern)}' is not an event type pattern: use letters, digits, '.', '-', '_' and '*', at most 200.");
            }

            if (!knownTypes.Any(type => IsMatch(pattern, type)))
            {
                throw new InvalidRequestException($"eventTypes[{i}]", $"'{pattern}' matches no event type.");
            }
        }

        return new EventTypeFilter(list.Distinct(StringComparer.Ordinal).ToImmutableList());
    }

    public bool Matches(string eventType) => Patterns.Any(pattern => IsMatch(pattern, eventType));

    private static bool IsMatch(string pattern, string value) => IsMatch(pattern.AsSpan(), value.AsSpan());

    private static bool IsMatch(ReadOnlySpan<char> pattern, ReadOnlySpan<char> value)
    {
        var star = pattern.IndexOf('*');
        if (star < 0)
        {
            return pattern.Equals(value, StringComparison.Ordinal);
        }

        if (!value.StartsWith(pattern[..star], StringComparison.Ordinal))
        {
            return false;
        }

        var rest = pattern[(star + 1)..];
        for (var i = star; i <= value.Length; i++)
        {
            if (IsMatch(rest, value[i..]))
            {
                return true;
            }
        }

        return false;
    }
}
