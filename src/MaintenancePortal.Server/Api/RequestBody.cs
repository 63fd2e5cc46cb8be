using MaintenancePortal.Domain;

namespace MaintenancePortal.Server.Api;

/// <summary>
/// Checks of a request body's shape that JSON cannot express: a list that must hold no null, a
/// value that must be there. A refusal names the field and the entry (<c>windows[3]</c>). How many
/// entries a list may hold is a rule of the domain; the size of the whole body is bounded first.
/// </summary>
public static class RequestBody
{
    /// <summary>The largest body the API reads; a larger one is refused (413) before it is read.</summary>
    public const long MaxBytes = 64 * 1024;

    /// <summary>The list (empty when absent), refused when it holds a null.</summary>
    public static IReadOnlyList<T> List<T>(IReadOnlyList<T?>? items, string field) where T : class
    {
        if (items is null)
        {
            return [];
        }

        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is null)
            {
                throw new InvalidRequestException($"{field}[{i}]", "An entry cannot be null.");
            }
        }

        return items!;
    }

    /// <summary>The list of values (empty when absent), refused when it holds a null.</summary>
    public static IReadOnlyList<T> Values<T>(IReadOnlyList<T?>? items, string field) where T : struct =>
        items is null ? [] : [.. items.Select((item, i) => item ?? throw new InvalidRequestException($"{field}[{i}]", "An entry cannot be null."))];

    /// <summary>A value the body must give.</summary>
    public static T Required<T>(T? value, string field, string what) where T : struct =>
        value ?? throw new InvalidRequestException(field, what);
}
