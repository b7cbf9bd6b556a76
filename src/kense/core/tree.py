"""Trees kept as materialized paths ("/1/5/23/"): a subtree is one indexed prefix match."""

from __future__ import annotations

from typing import Any, Self

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Concat, Substr
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

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part][:-1]

    def ancestors(self) -> models.QuerySet[Self]:
        return type(self)._default_manager.filter(pk__in=self.ancestor_ids()).order_by("depth")
