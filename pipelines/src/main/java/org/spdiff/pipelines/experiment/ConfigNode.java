package org.spdiff.pipelines.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A read-only view of one node of an experiment file that knows its path ({@code
 * variants[2].tPrime}) and which of its fields were read, so that typos are reported as unknown
 * fields rather than silently ignored.
 */
final class ConfigNode {
  private final JsonNode node;
  private final String path;
  private final Set<String> read = new LinkedHashSet<>();

  ConfigNode(JsonNode node, String path) {
    this.node = node == null ? MissingNode.getInstance() : node;
    this.path = path;
  }

  String path() {
    return path;
  }

  boolean isMissing() {
    return node.isMissingNode() || node.isNull();
  }

  boolean has(String field) {
    return node.has(field) && !node.get(field).isNull();
  }

  ExperimentException error(String field, String reason) {
    return new ExperimentException(child(field) + ": " + reason);
  }

  ExperimentException error(String reason) {
    return new ExperimentException((path.isEmpty() ? "(top level)" : path) + ": " + reason);
  }

  private String child(String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  ConfigNode object(String field, boolean required) {
    read.add(field);
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw error(field, "is required");
      }
      return new ConfigNode(MissingNode.getInstance(), child(field));
    }
    if (!v.isObject()) {
      throw error(field, "must be a mapping, got " + describe(v));
    }
    return new ConfigNode(v, child(field));
  }

  List<ConfigNode> list(String field, boolean required) {
    read.add(field);
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw error(field, "is required");
      }
      return List.of();
    }
    if (!v.isArray()) {
      throw error(field, "must be a list, got " + describe(v));
    }
    List<ConfigNode> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      out.add(new ConfigNode(v.get(i), child(field) + "[" + i + "]"));
    }
    return out;
  }

  String string(String field, String dflt) {
    read.add(field);
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      if (dflt == null) {
        throw error(field, "is required");
      }
      return dflt;
    }
    if (!v.isValueNode()) {
      throw error(field, "must be a value, got " + describe(v));
    }
    return v.asText();
  }

  String choice(String field, String dflt, Set<String> allowed) {
    String s = string(field, dflt);
    if (!allowed.contains(s)) {
      throw error(field, "unknown value '" + s + "' (expected one of " + allowed + ")");
    }
    return s;
  }

  long integer(String field, Long dflt, long min, long max) {
    read.add(field);
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      if (dflt == null) {
        throw error(field, "is required");
      }
      return dflt;
    }
    long x;
    if (v.isIntegralNumber()) {
      x = v.asLong();
    } else if (v.isTextual() && v.asText().matches("-?\\d+")) {
      x = Long.parseLong(v.asText());
    } else {
      throw error(field, "must be an integer, got " + describe(v));
    }
    if (x < min || x > max) {
      throw error(field, "must be in " + min + ".." + max + ", got " + x);
    }
    return x;
  }

  int integer(String field, int dflt, int min, int max) {
    return (int) integer(field, (long) dflt, min, max);
  }

  int requiredInt(String field, int min, int max) {
    return (int) integer(field, (Long) null, min, max);
  }

  double number(String field, Double dflt, double min, double max) {
    read.add(field);
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      if (dflt == null) {
        throw error(field, "is required");
      }
      return dflt;
    }
    double x;
    if (v.isNumber()) {
      x = v.asDouble();
    } else if (v.isTextual()) {
      try {
        x = Double.parseDouble(v.asText());
      } catch (NumberFormatException e) {
        throw error(field, "must be a number, got '" + v.asText() + "'");
      }
    } else {
      throw error(field, "must be a number, got " + describe(v));
    }
    if (!Double.isFinite(x) || x < min || x > max) {
      throw error(field, "must be in [" + min + ", " + max + "], got " + x);
    }
    return x;
  }

  boolean bool(String field, boolean dflt) {
    read.add(field);
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (v.isBoolean()) {
      return v.asBoolean();
    }
    if (v.isTextual() && (v.asText().equals("true") || v.asText().equals("false"))) {
      return Boolean.parseBoolean(v.asText());
    }
    throw error(field, "must be true or false, got " + describe(v));
  }

  <T> List<T> values(String field, List<T> dflt, Function<ConfigNode, T> each) {
    if (!has(field)) {
      read.add(field);
      return dflt;
    }
    JsonNode v = node.get(field);
    if (!v.isArray()) {
      read.add(field);
      List<T> one = new ArrayList<>();
      one.add(each.apply(new ConfigNode(v, child(field))));
      return one;
    }
    List<T> out = new ArrayList<>();
    for (ConfigNode c : list(field, true)) {
      out.add(each.apply(c));
    }
    return out;
  }

  /** The raw value of this node as text (for list elements). */
  String text() {
    if (!node.isValueNode()) {
      throw error("must be a value, got " + describe(node));
    }
    return node.asText();
  }

  double asNumber() {
    if (node.isNumber()) {
      return node.asDouble();
    }
    try {
      return Double.parseDouble(node.asText());
    } catch (NumberFormatException e) {
      throw error("must be a number, got " + describe(node));
    }
  }

  JsonNode raw() {
    return node;
  }

  Iterator<String> fieldNames() {
    return node.fieldNames();
  }

  /** Fails on the first field that no reader asked for (a typo or an unsupported option). */
  void rejectUnknown() {
    if (!node.isObject()) {
      return;
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!read.contains(f)) {
        throw error(f, "unknown field (known here: " + String.join(", ", read) + ")");
      }
    }
  }

  private static String describe(JsonNode v) {
    if (v.isObject()) {
      return "a mapping";
    }
    if (v.isArray()) {
      return "a list";
    }
    return "'" + v.asText() + "'";
  }
}
