using System;

namespace FastMQ.Broker.Configuration;

/// <summary>A configuration problem that stops start-up; the message names the setting.</summary>
public sealed class BrokerConfigException(string message) : Exception(message);
