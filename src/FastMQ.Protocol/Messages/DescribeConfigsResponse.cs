using System.Collections.Generic;
using FastMQ.Protocol.Primitives;

namespace FastMQ.Protocol.Messages;

/// <summary>DescribeConfigs response (key 32), versions 1-4.</summary>
public sealed class DescribeConfigsResponse
{
    public const short MinVersion = 1;
    public const short MaxVersion = 4;
    public const short FirstFlexibleVersion = 4;

    public int ThrottleTimeMs { get; set; }

    public List<Result> Results { get; } = [];

    public static DescribeConfigsResponse Read(ref KafkaReader reader, short version)
    {
        MessageVersion.Check("DescribeConfigsResponse", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        var response = new DescribeConfigsResponse { ThrottleTimeMs = reader.ReadInt32() };
        int results = reader.ReadArrayCount(flexible, flexible ? 7 : 11);
        for (int i = 0; i < results; i++)
        {
            var result = new Result
            {
                ErrorCode = (ErrorCode)reader.ReadInt16(),
                ErrorMessage = reader.ReadNullableString(flexible),
                ResourceType = reader.ReadInt8(),
                ResourceName = reader.ReadString(flexible),
            };
            int configs = reader.ReadArrayCount(flexible, flexible ? 6 : 9);
            for (int c = 0; c < configs; c++)
            {
                result.Configs.Add(Config.Read(ref reader, version, flexible));
            }
            SkipTags(ref reader, flexible);
            response.Results.Add(result);
        }
        SkipTags(ref reader, flexible);
        reader.EnsureEnd("DescribeConfigsResponse");
        return response;
    }

    public void Write(ref KafkaWriter writer, short version)
    {
        MessageVersion.Check("DescribeConfigsResponse", version, MinVersion, MaxVersion);
        bool flexible = version >= FirstFlexibleVersion;
        writer.WriteInt32(ThrottleTimeMs);
        writer.WriteArrayCount(Results.Count, flexible);
        foreach (Result result in Results)
        {
            writer.WriteInt16((short)result.ErrorCode);
            writer.WriteNullableString(result.ErrorMessage, flexible);
            writer.WriteInt8(result.ResourceType);
            writer.WriteString(result.ResourceName, flexible);
            writer.WriteArrayCount(result.Configs.Count, flexible);
            foreach (Config config in result.Configs)
            {
                config.Write(ref writer, version, flexible);
            }
            writer.WriteEmptyTaggedFields(flexible);
        }
        writer.WriteEmptyTaggedFields(flexible);
    }

    private static void SkipTags(ref KafkaReader reader, bool flexible)
    {
        if (flexible)
        {
            reader.SkipTaggedFields();
        }
    }

    public sealed class Result
    {
        public ErrorCode ErrorCode { get; set; }

        public string? ErrorMessage { get; set; }

        public sbyte ResourceType { get; set; }

        public string ResourceName { get; set; } = "";

        public List<Config> Configs { get; } = [];
    }

    public sealed class Config
    {
        public string Name { get; set; } = "";

        public string? Value { get; set; }

        public bool ReadOnly { get; set; }

        /// <summary>1 topic, 4 static broker, 5 default, -1 unknown.</summary>
        public sbyte ConfigSource { get; set; } = -1;

        public bool IsSensitive { get; set; }

        public List<Synonym> Synonyms { get; } = [];

        /// <summary>v3+: 1 boolean, 2 string, 3 int, 4 short, 5 long, 6 double, 7 list, 8 class, 9 password.</summary>
        public sbyte ConfigType { get; set; }

        /// <summary>v3+.</summary>
        public string? Documentation { get; set; }

        internal static Config Read(ref KafkaReader reader, short version, bool flexible)
        {
            var config = new Config
            {
                Name = reader.ReadString(flexible),
                Value = reader.ReadNullableString(flexible),
                ReadOnly = reader.ReadBoolean(),
                ConfigSource = reader.ReadInt8(),
                IsSensitive = reader.ReadBoolean(),
            };
            int synonyms = reader.ReadArrayCount(flexible, flexible ? 4 : 5);
            for (int i = 0; i < synonyms; i++)
            {
                config.Synonyms.Add(new Synonym
                {
                    Name = reader.ReadString(flexible),
                    Value = reader.ReadNullableString(flexible),
                    Source = reader.ReadInt8(),
                });
                SkipTags(ref reader, flexible);
            }
            if (version >= 3)
            {
                config.ConfigType = reader.ReadInt8();
                config.Documentation = reader.ReadNullableString(flexible);
            }
            SkipTags(ref reader, flexible);
            return config;
        }

        internal void Write(ref KafkaWriter writer, short version, bool flexible)
        {
            writer.WriteString(Name, flexible);
            writer.WriteNullableString(Value, flexible);
            writer.WriteBoolean(ReadOnly);
            writer.WriteInt8(ConfigSource);
            writer.WriteBoolean(IsSensitive);
            writer.WriteArrayCount(Synonyms.Count, flexible);
            foreach (Synonym synonym in Synonyms)
            {
                writer.WriteString(synonym.Name, flexible);
                writer.WriteNullableString(synonym.Value, flexible);
                writer.WriteInt8(synonym.Source);
                writer.WriteEmptyTaggedFields(flexible);
            }
            if (version >= 3)
            {
                writer.WriteInt8(ConfigType);
                writer.WriteNullableString(Documentation, flexible);
            }
            writer.WriteEmptyTaggedFields(flexible);
        }
    }

    public sealed class Synonym
    {
        public string Name { get; set; } = "";

        public string? Value { get; set; }

        public sbyte Source { get; set; }
    }
}
