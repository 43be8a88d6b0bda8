#!/usr/bin/env python3
"""Validates Kueue manifests against Kueue's own CRD schemas.

  validate_kueue.py CRD_DIR MANIFEST.yaml...

Every object (YAML documents separated by ---) must be of a kind one of
CRD_DIR's CustomResourceDefinitions defines, at a version it serves, and
valid against that version's openAPIV3Schema (with python3-jsonschema);
and the objects must refer to each other: each LocalQueue to a
ClusterQueue, each ClusterQueue to the Cohort and to ResourceFlavors that
exist. Prints one line per kind (how many objects) and exits 1 on the
first object that fails, saying why.
"""
import collections
import glob
import os
import sys

import jsonschema
import yaml


def main():
    crd_dir, *manifests = sys.argv[1:]
    schemas = {}
    for path in glob.glob(os.path.join(crd_dir, "*.yaml")):
        crd = yaml.safe_load(open(path))
        kind = crd["spec"]["names"]["kind"]
        group = crd["spec"]["group"]
        for version in crd["spec"]["versions"]:
            if version.get("served"):
                schemas[(f"{group}/{version['name']}", kind)] = \
                    version["schema"]["openAPIV3Schema"]
    objects = collections.defaultdict(list)
    for path in manifests:
        for doc in yaml.safe_load_all(open(path)):
            if doc is None:
                continue
            key = (doc.get("apiVersion"), doc.get("kind"))
            if key not in schemas:
                print(f"{path}: no CRD defines {key}")
                return 1
            try:
                jsonschema.validate(doc, schemas[key])
            except jsonschema.ValidationError as e:
                where = "/".join(str(p) for p in e.absolute_path)
                print(f"{path}: {doc['kind']} {doc['metadata'].get('name')}: {where}: {e.message}")
                return 1
            objects[doc["kind"]].append(doc)
    names = {kind: {o["metadata"]["name"] for o in objs} for kind, objs in objects.items()}
    for lq in objects["LocalQueue"]:
        if lq["spec"]["clusterQueue"] not in names.get("ClusterQueue", set()):
            print(f"LocalQueue {lq['metadata']['name']}: no ClusterQueue {lq['spec']['clusterQueue']}")
            return 1
    for cq in objects["ClusterQueue"]:
        cohort = cq["spec"].get("cohortName")
        if cohort and cohort not in names.get("Cohort", set()):
            print(f"ClusterQueue {cq['metadata']['name']}: no Cohort {cohort}")
            return 1
        for group in cq["spec"]["resourceGroups"]:
            for flavor in group["flavors"]:
                if flavor["name"] not in names.get("ResourceFlavor", set()):
                    print(f"ClusterQueue {cq['metadata']['name']}: no ResourceFlavor {flavor['name']}")
                    return 1
                covered = sorted(r["name"] for r in flavor["resources"])
                if covered != sorted(group["coveredResources"]):
                    print(f"ClusterQueue {cq['metadata']['name']}: flavor {flavor['name']} covers {covered}")
                    return 1
    for kind in sorted(objects):
        print(f"{kind}: {len(objects[kind])} valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
