"""Trees kept as materialized paths ("/1/5/23/"): a subtree is one indexed prefix match."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Self

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Cast, Coalesce, Concat, Substr
from django.utils.translation import gettext_lazy as _


class TreeNode(models.Model):
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=400, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(editable=False, default=0)

    parent_id: int | None

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        if self.parent_id is not None and self.pk is not None:
            parent = type(self)._default_manager.get(pk=self.parent_id)
            if parent.pk == self.pk or (self.path and parent.path.startswith(self.path)):
                raise ValidationError(
                    {"parent": _("An item cannot be placed under itself or its own descendant.")}
                )

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        self._sync_path()

    def _sync_path(self) -> None:
        """Keep path and depth true after a create or a move, descendants included."""
        manager = type(self)._default_manager
        parent_path = manager.get(pk=self.parent_id).path if self.parent_id else "/"
        expected = f"{parent_path}{self.pk}/"
        if self.path == expected:
            return
        old = self.path
        depth = expected.count("/") - 2
        manager.filter(pk=self.pk).update(path=expected, depth=depth)
        if old:
            delta = depth - self.depth
            manager.filter(path__startswith=old).exclude(pk=self.pk).update(
                path=Concat(models.Value(expected), Substr("path", len(old) + 1)),
                depth=models.F("depth") + delta,
            )
        self.path, self.depth = expected, depth

    @classmethod
    def bulk_create_tree(cls, nodes: Sequence[Self], *, batch_size: int) -> None:
        """Insert new nodes, in their order, with their path and depth: a few queries a batch
        instead of three a node. A node's parent is a saved node or an earlier one of `nodes`
        (assigned as an object), linked once both have their keys."""
        manager = cls._default_manager
        parent_in_nodes = {}
        for index, node in enumerate(nodes):
            parent = node.parent if node.parent_id is None else None
            if parent is not None:
                parent_in_nodes[index] = parent
                node.parent = None  # bulk_create refuses it unsaved
        manager.bulk_create(nodes, batch_size=batch_size)
        for index, parent in parent_in_nodes.items():
            nodes[index].parent = parent

        saved_parent_ids = {node.parent_id for node in nodes} - {None} - {n.pk for n in nodes}
        paths = dict(manager.filter(pk__in=saved_parent_ids).values_list("pk", "path"))
        for node in nodes:  # parents before children
            node.path = paths[node.pk] = f"{paths.get(node.parent_id, '/')}{node.pk}/"
            node.depth = node.path.count("/") - 2
        # Most nodes hang under a saved parent or none: one UPDATE a batch writes their paths
        # (bulk_update's CASE of one branch a node costs more than the inserts).
        its_parent = manager.filter(pk=models.OuterRef("parent_id"))
        top = [node.pk for index, node in enumerate(nodes) if index not in parent_in_nodes]
        for start in range(0, len(top), batch_size):
            manager.filter(pk__in=top[start : start + batch_size]).update(
                path=Concat(
                    Coalesce(models.Subquery(its_parent.values("path")), models.Value("/")),
                    Cast("pk", models.CharField()),
                    models.Value("/"),
                ),
                depth=Coalesce(models.Subquery(its_parent.values("depth")) + 1, models.Value(0)),
            )
        nested = [nodes[index] for index in parent_in_nodes]
        manager.bulk_update(nested, ["parent", "path", "depth"], batch_size=batch_size)

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part][:-1]

    def ancestors(self) -> models.QuerySet[Self]:
        return type(self)._default_manager.filter(pk__in=self.ancestor_ids()).order_by("depth")
