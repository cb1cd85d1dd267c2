using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using FastMQ.Broker.Configuration;

namespace FastMQ.Broker.Metadata;

/// <summary>
/// Persists topic definitions and the cluster id under <c>&lt;data&gt;/__meta/</c>: one JSON file per topic, written to a
/// temporary file, fsynced and renamed, so a crash leaves either the old or the new definition, never half of one.
/// </summary>
/// <remarks>Called from the metadata writer only (topic create/delete/grow); never on the produce or fetch path.</remarks>
public sealed class MetadataStore
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
    private readonly string _metaDir;
    private readonly string _topicsDir;

    public MetadataStore(string dataDirectory)
    {
        _metaDir = Path.Combine(dataDirectory, "__meta");
        _topicsDir = Path.Combine(_metaDir, "topics");
        Directory.CreateDirectory(_topicsDir);
    }

    private sealed record TopicRecord(string Name, Guid TopicId, int Partitions, Dictionary<string, string> Configs, bool Internal);

    /// <summary>The cluster id, created on first start and stable after that.</summary>
    public string LoadOrCreateClusterId()
    {
        string path = Path.Combine(_metaDir, "cluster.id");
        if (File.Exists(path))
        {
            string id = File.ReadAllText(path).Trim();
            if (id.Length > 0)
            {
                return id;
            }
        }
        string created = Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        WriteAtomically(path, created);
        return created;
    }

    public List<TopicMetadata> LoadTopics(BrokerOptions options)
    {
        var topics = new List<TopicMetadata>();
        foreach (string file in Directory.EnumerateFiles(_topicsDir, "*.json"))
        {
            TopicRecord record = JsonSerializer.Deserialize<TopicRecord>(File.ReadAllText(file), Json)
                ?? throw new InvalidDataException($"Topic definition {file} is empty.");
            var configs = new List<KeyValuePair<string, string?>>();
            foreach (KeyValuePair<string, string> kv in record.Configs)
            {
                configs.Add(new(kv.Key, kv.Value));
            }
            topics.Add(new TopicMetadata(record.Name, record.TopicId, record.Partitions, TopicConfig.Create(options, configs), record.Internal));
        }
        return topics;
    }

    public void Save(TopicMetadata topic)
    {
        var record = new TopicRecord(topic.Name, topic.TopicId, topic.PartitionCount,
            new Dictionary<string, string>(topic.Config.Overrides, StringComparer.Ordinal), topic.IsInternal);
        WriteAtomically(Path.Combine(_topicsDir, topic.Name + ".json"), JsonSerializer.Serialize(record, Json));
    }

    public void Delete(string topicName)
    {
        File.Delete(Path.Combine(_topicsDir, topicName + ".json"));
    }

    private static void WriteAtomically(string path, string content)
    {
        string tmp = path + ".tmp";
        using (var stream = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            byte[] bytes = System.Text.Encoding.UTF8.GetBytes(content);
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
        File.Move(tmp, path, overwrite: true);
    }
}
