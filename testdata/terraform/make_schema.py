#!/usr/bin/env python3
"""Writes aws-provider-schema.json: the arguments and nested blocks of every resource and data
source type that terraform/*.tf uses, as the hashicorp/aws provider's schema defines them.

Terraform can't run on the build machine, so `terraform providers schema -json` is not available.
The source is the npm package @cdktf/provider-aws, which `cdktf get` generates from exactly that
schema of one pinned provider version: each type's generated JavaScript lists every argument
(`isBlock: false`) and nested block (`isBlock: true`, `type` list/set/struct) under its Terraform
name, and its index.d.ts marks each optional one with `?` (the doc link names the Terraform name).
A block mapped with `cdktf.listMapperHcl` may repeat; one mapped by a single function call (an
OutputReference) is the schema's max_items = 1. See README.md for the
provenance and how to remake the file.

usage: make_schema.py PACKAGE.tgz TERRAFORM_DIR OUT.json
"""
import json
import re
import sys
import tarfile
from pathlib import Path

ATTR = re.compile(
    r'(\w+): \{\s*value: (.*?),\s*isBlock: (true|false),\s*type: "(\w+)",'
    r'\s*storageClassType: "(\w+)",\s*\}', re.S)
PROP = re.compile(r'#(\w+) \w+#\w+\}\s*\*/\s*readonly \w+(\??):')
TYPES = re.compile(r'^\s*(resource|data)\s+"(aws_[a-z0-9_]+)"', re.M)


def kebab(tf_type, kind):
    name = tf_type[len("aws_"):].replace("_", "-")
    return ("data-aws-" + name) if kind == "data" else name


def body_after(js, start):
    """The text of the brace-delimited body that starts at the first '{' after start."""
    i = js.index("{", start)
    depth = 0
    for j in range(i, len(js)):
        if js[j] == "{":
            depth += 1
        elif js[j] == "}":
            depth -= 1
            if depth == 0:
                return js[i:j + 1]
    raise ValueError("unbalanced braces")


def flags_in(dts, interface):
    """Required or optional per Terraform name, from `export interface <interface>` in index.d.ts:
    a property without `?` is required (its doc comment links to the Terraform name)."""
    m = re.search(r'\nexport interface ' + re.escape(interface) + r' ', dts)
    if not m:
        return {}
    return {p.group(1): {"optional": True} if p.group(2) else {"required": True}
            for p in PROP.finditer(body_after(dts, m.start()))}


def block(js, dts, attrs_text, interface):
    flags = flags_in(dts, interface)
    attributes, block_types = {}, {}
    for a in ATTR.finditer(attrs_text):
        name, value, is_block, kind, storage = a.groups()
        f = flags.get(name, {})
        if is_block == "false":
            attributes[name] = f or {"optional": True}
            continue
        fn = re.search(r'(\w+)ToHclTerraform', value).group(1)
        m = re.search(r'\nfunction ' + fn + r'ToHclTerraform\(struct\)', js)
        body = body_after(js, m.start())
        inner = body_after(body, body.index("const attrs")) if "const attrs" in body else ""
        struct = storage[:-4] if storage.endswith("List") else storage
        nested = block(js, dts, inner, struct)
        nested_block = {"nesting_mode": {"list": "list", "set": "set", "struct": "single"}[kind],
                        "block": nested}
        if "listMapperHcl" not in value:
            nested_block["max_items"] = 1  # one OutputReference, not a list mapper
        if f.get("required"):
            nested_block["min_items"] = 1
        block_types[name] = nested_block
    out = {"attributes": dict(sorted(attributes.items()))}
    if block_types:
        out["block_types"] = dict(sorted(block_types.items()))
    return out


def schema_of(tar, tf_type, kind):
    path = "package/lib/" + kebab(tf_type, kind) + "/index.js"
    js = tar.extractfile(path).read().decode("utf-8")
    dts = tar.extractfile(path[:-3] + ".d.ts").read().decode("utf-8")
    m = re.search(r"terraformResourceType: '" + tf_type + "'", js)
    cls = re.findall(r'\nclass (\w+) extends cdktf\.Terraform(?:Resource|DataSource)', js)[-1]
    start = js.index("synthesizeHclAttributes()", m.start())
    attrs = body_after(js, js.index("const attrs", start))
    version = re.search(r"providerVersion: '([^']+)'", js).group(1)
    return block(js, dts, attrs, cls + "Config"), version


def main(package, tf_dir, out):
    used = {"resource": set(), "data": set()}
    for f in sorted(Path(tf_dir).glob("*.tf")):
        for kind, t in TYPES.findall(f.read_text()):
            used[kind].add(t)
    result = {"format_version": "trendlake-1",
              "provider": "registry.terraform.io/hashicorp/aws",
              "source": Path(package).name,
              "resource_schemas": {}, "data_source_schemas": {}}
    with tarfile.open(package) as tar:
        meta = json.load(tar.extractfile("package/package.json"))
        result["provider_version"] = meta["cdktf"]["provider"]["version"]
        for kind, key in (("resource", "resource_schemas"), ("data", "data_source_schemas")):
            for t in sorted(used[kind]):
                s, version = schema_of(tar, t, kind)
                assert version == result["provider_version"], (t, version)
                result[key][t] = {"block": s}
    Path(out).write_text(json.dumps(result, indent=1, sort_keys=False) + "\n")
    print(f"{out}: {len(result['resource_schemas'])} resource and "
          f"{len(result['data_source_schemas'])} data source types of hashicorp/aws "
          f"{result['provider_version']}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
