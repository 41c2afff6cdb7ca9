"""Real-time: channel names and the subscription generators."""
