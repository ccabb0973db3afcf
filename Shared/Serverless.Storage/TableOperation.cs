namespace Serverless.Storage;

public enum TableOperationKind
{
    /// <summary>Insert; fails when the row exists.</summary>
    Add,

    /// <summary>Insert or replace the whole row.</summary>
    Upsert,

    /// <summary>Insert or merge properties into the row.</summary>
    UpsertMerge,

    /// <summary>Replace an existing row, guarded by its ETag (or any, with <see cref="ETag.All"/>).</summary>
    Update,

    /// <summary>Delete a row, guarded by its ETag (or any, with <see cref="ETag.All"/>).</summary>
    Delete,
}

/// <summary>One operation of an atomic batch over a single partition.</summary>
public sealed record TableOperation(TableOperationKind Kind, TableEntity Entity)
{
    public static TableOperation Add(TableEntity entity) => new(TableOperationKind.Add, entity);

    public static TableOperation Upsert(TableEntity entity) => new(TableOperationKind.Upsert, entity);

    public static TableOperation UpsertMerge(TableEntity entity) => new(TableOperationKind.UpsertMerge, entity);

    public static TableOperation Update(TableEntity entity) => new(TableOperationKind.Update, entity);

    public static TableOperation Delete(TableEntity entity) => new(TableOperationKind.Delete, entity);
}
