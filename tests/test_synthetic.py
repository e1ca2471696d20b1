"""Tests of MUNGE: output types, neighbours, ranges and input validation."""

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from sklearn import config_context
from sklearn.base import clone
from sklearn.utils._param_validation import InvalidParameterError

from skdistill._synthetic import MUNGE

# A local variance this large makes the normal draws' standard deviation
# negligible, so a replaced continuous value equals the neighbour's.
NO_SPREAD = 1e12


def make_array(n_samples=30, n_features=3, seed=0):
    return np.random.RandomState(seed).normal(size=(n_samples, n_features))


def make_mixed_frame(n_samples=40, seed=0):
    rng = np.random.RandomState(seed)
    frame = pd.DataFrame(
        {
            "length": rng.normal(size=n_samples),
            "count": rng.randint(0, 50, size=n_samples),
            "colour": pd.Categorical(rng.choice(["red", "green", "blue"], n_samples)),
            "city": pd.array(rng.choice(["Oslo", "Lima"], n_samples), dtype="string"),
            "code": rng.choice(["x1", "y2", "z3"], n_samples).astype(object),
            "flag": rng.rand(n_samples) < 0.5,
            "weight": rng.normal(size=n_samples).astype(np.float32),
        }
    )
    # A shuffled index checks that rows are taken by position, not by label.
    frame.index = rng.permutation(np.arange(100, 100 + n_samples))
    return frame


# Output shapes and types


def test_sample_array_shape_and_dtype():
    X = make_array(n_samples=30, n_features=3)

    X_synthetic = MUNGE(size=4).sample(X, random_state=0)

    assert isinstance(X_synthetic, np.ndarray)
    assert X_synthetic.shape == (120, 3)
    assert X_synthetic.dtype == np.float64


def test_sample_default_size_is_five():
    X = make_array(n_samples=10)

    assert MUNGE().sample(X, random_state=0).shape == (50, 3)


def test_sample_float32_array_keeps_dtype():
    X = make_array().astype(np.float32)

    assert MUNGE().sample(X, random_state=0).dtype == np.float32


def test_sample_integer_array_becomes_float64():
    X = np.random.RandomState(0).randint(0, 100, size=(20, 3))

    X_synthetic = MUNGE().sample(X, random_state=0)

    assert X_synthetic.dtype == np.float64
    # Drawn values are not whole numbers, which an integer dtype would hide.
    assert not np.all(X_synthetic == np.round(X_synthetic))


def test_sample_integer_array_all_categorical_keeps_dtype():
    X = np.random.RandomState(0).randint(0, 5, size=(20, 3))

    X_synthetic = MUNGE(categorical_features=[0, 1, 2]).sample(X, random_state=0)

    assert X_synthetic.dtype == X.dtype


def test_sample_object_array_keeps_dtype():
    X = np.array([["a", 1], ["b", 2], ["a", 3]], dtype=object)

    X_synthetic = MUNGE(size=2).sample(X, random_state=0)

    assert X_synthetic.dtype == object
    assert X_synthetic.shape == (6, 2)


def test_sample_str_array_keeps_dtype():
    X = np.array([["a", "p"], ["b", "q"], ["c", "p"]])

    X_synthetic = MUNGE(size=2).sample(X, random_state=0)

    assert X_synthetic.dtype == X.dtype


def test_sample_list_returns_array():
    X = make_array(n_samples=5).tolist()

    X_synthetic = MUNGE(size=2).sample(X, random_state=0)

    assert isinstance(X_synthetic, np.ndarray)
    assert X_synthetic.shape == (10, 3)


def test_sample_mixed_list_keeps_numbers():
    # numpy would turn [1, "a"] into strings, but the numbers must stay numbers.
    X = [[1, "a"], [2, "b"], [3, "a"]]

    X_synthetic = MUNGE(size=2).sample(X, random_state=0)

    assert X_synthetic.dtype == object
    assert set(X_synthetic[:, 0]) <= {1, 2, 3}


def test_sample_frame_keeps_columns_and_dtypes():
    frame = make_mixed_frame(n_samples=40)

    frame_synthetic = MUNGE(size=3).sample(frame, random_state=0)

    assert isinstance(frame_synthetic, pd.DataFrame)
    assert frame_synthetic.shape == (120, 7)
    assert frame_synthetic.columns.equals(frame.columns)
    assert frame_synthetic.index.equals(pd.RangeIndex(120))
    expected_dtypes = frame.dtypes.copy()
    # Integer continuous columns become float64, because draws are not whole.
    expected_dtypes["count"] = np.dtype(np.float64)
    pd.testing.assert_series_equal(frame_synthetic.dtypes, expected_dtypes)


def test_sample_frame_categories_kept():
    frame = make_mixed_frame()

    frame_synthetic = MUNGE().sample(frame, random_state=0)

    categories = frame_synthetic["colour"].cat.categories
    assert categories.equals(frame["colour"].cat.categories)


def test_sample_frame_duplicate_column_names():
    frame = pd.DataFrame(
        [[1.0, "a"], [2.0, "b"], [3.0, "a"], [4.0, "b"]], columns=["x", "x"]
    )

    frame_synthetic = MUNGE(size=2).sample(frame, random_state=0)

    assert list(frame_synthetic.columns) == ["x", "x"]
    assert frame_synthetic.iloc[:, 0].dtype == np.float64
    assert set(frame_synthetic.iloc[:, 1]) <= {"a", "b"}


def test_sample_frame_integer_names_are_positions():
    # Column 0 is named 1, so the entry 1 must select the column named 2.
    frame = pd.DataFrame({1: [0.5, 1.5, 2.5, 3.5], 2: [10, 20, 30, 40]})

    frame_synthetic = MUNGE(size=3, categorical_features=[1]).sample(
        frame, random_state=0
    )

    assert frame_synthetic[2].dtype == frame[2].dtype
    assert set(frame_synthetic[2]) <= {10, 20, 30, 40}
    assert frame_synthetic[1].dtype == np.float64


def test_sample_rounds_are_copies_in_order():
    # With a vanishing swap probability no attribute is replaced, so each
    # round is a copy of X in its order.
    X = np.array([[0.5, "a"], [1.5, "b"], [3.0, "c"]], dtype=object)

    X_synthetic = MUNGE(size=3, swap_probability=1e-12).sample(X, random_state=0)

    np.testing.assert_array_equal(X_synthetic, np.tile(X, (3, 1)))


def test_sample_wide_array():
    X = make_array(n_samples=60, n_features=5000)

    X_synthetic = MUNGE().sample(X, random_state=0)

    assert X_synthetic.shape == (300, 5000)


# Reproducibility


def test_sample_same_seed_same_output():
    frame = make_mixed_frame()
    munge = MUNGE()

    first = munge.sample(frame, random_state=3)
    second = munge.sample(frame, random_state=3)

    pd.testing.assert_frame_equal(first, second)


def test_sample_random_state_instance_matches_int():
    X = make_array()

    from_int = MUNGE().sample(X, random_state=7)
    from_instance = MUNGE().sample(X, random_state=np.random.RandomState(7))

    np.testing.assert_array_equal(from_int, from_instance)


def test_sample_other_seed_other_output():
    X = make_array()

    first = MUNGE().sample(X, random_state=0)
    second = MUNGE().sample(X, random_state=1)

    assert not np.array_equal(first, second)


# Values within each column's observed range and categories


def test_sample_continuous_within_range():
    X = make_array(n_samples=50, n_features=4)

    # A small local variance draws far from the neighbour, so clipping acts.
    X_synthetic = MUNGE(size=10, swap_probability=1.0, local_variance=0.1).sample(
        X, random_state=0
    )

    assert np.all(X_synthetic >= X.min(axis=0))
    assert np.all(X_synthetic <= X.max(axis=0))
    assert np.any(X_synthetic == X.min(axis=0))
    assert np.any(X_synthetic == X.max(axis=0))


def test_sample_ordinal_values_occur_in_column():
    rng = np.random.RandomState(0)
    X = np.column_stack([rng.normal(size=40), rng.choice([1, 5, 9], size=40)])

    X_synthetic = MUNGE(size=5, categorical_features=[1]).sample(X, random_state=0)

    assert set(X_synthetic[:, 1]) <= {1.0, 5.0, 9.0}
    assert len(set(X_synthetic[:, 0])) > len(set(X[:, 0]))


def test_sample_string_categories_occur_in_column():
    frame = make_mixed_frame()

    frame_synthetic = MUNGE(size=5, swap_probability=1.0).sample(frame, random_state=0)

    for column in ["colour", "city", "code", "flag"]:
        assert set(frame_synthetic[column]) <= set(frame[column]), column
    for column in ["length", "count", "weight"]:
        assert frame_synthetic[column].min() >= frame[column].min(), column
        assert frame_synthetic[column].max() <= frame[column].max(), column


def test_sample_missing_category_is_a_value():
    X = np.array([["a", 1.0], [None, 2.0], [np.nan, 3.0], ["b", 4.0]], dtype=object)

    X_synthetic = MUNGE(size=5, categorical_features=[0]).sample(X, random_state=0)

    values = X_synthetic[:, 0]
    is_missing = np.array([v is None or v != v for v in values])
    assert set(values[~is_missing]) <= {"a", "b"}
    assert is_missing.any()


def make_one_hot_frame(n_samples=60, seed=0):
    rng = np.random.RandomState(seed)
    levels = rng.randint(0, 4, size=n_samples)
    one_hot = np.eye(4, dtype=int)[levels]
    frame = pd.DataFrame(one_hot, columns=["g0", "g1", "g2", "g3"])
    frame["size"] = rng.normal(size=n_samples)
    return frame


def test_sample_one_hot_group_stays_one_hot():
    frame = make_one_hot_frame()
    group = ["g0", "g1", "g2", "g3"]

    frame_synthetic = MUNGE(size=5, categorical_features=[group]).sample(
        frame, random_state=0
    )

    block = frame_synthetic[group].to_numpy()
    assert np.all(block.sum(axis=1) == 1)
    assert set(np.unique(block)) <= {0, 1}
    assert frame_synthetic["size"].dtype == np.float64


def test_sample_one_hot_columns_alone_break_one_hot():
    # The same columns listed one by one are swapped independently, which the
    # group above prevents.
    frame = make_one_hot_frame()
    group = ["g0", "g1", "g2", "g3"]

    frame_synthetic = MUNGE(size=5, categorical_features=group).sample(
        frame, random_state=0
    )

    assert np.any(frame_synthetic[group].to_numpy().sum(axis=1) != 1)


# Nearest neighbours, on small cases whose result is known


def test_sample_swap_all_takes_neighbour_category():
    # Each pair differs in one attribute, so every row has two neighbours at
    # distance 1 and takes the lower index: row 0 -> 1, rows 1 and 2 -> 0.
    X = np.array([["a"], ["b"], ["c"]], dtype=object)

    X_synthetic = MUNGE(size=1, swap_probability=1.0).sample(X, random_state=0)

    np.testing.assert_array_equal(X_synthetic[:, 0], ["b", "a", "a"])


def test_sample_swap_all_takes_neighbour_value():
    # Nearest neighbours: 0 -> 1, 1 -> 0, 2 -> 1.
    X = np.array([[0.0], [1.0], [3.0]])

    X_synthetic = MUNGE(size=1, swap_probability=1.0, local_variance=NO_SPREAD).sample(
        X, random_state=0
    )

    np.testing.assert_allclose(X_synthetic[:, 0], [1.0, 0.0, 1.0], atol=1e-9)


def test_sample_neighbour_is_never_the_row():
    # With every attribute replaced, a row that was its own neighbour would be
    # copied unchanged.
    X = np.array([["a", "p"], ["b", "q"], ["c", "r"]], dtype=object)

    X_synthetic = MUNGE(size=1, swap_probability=1.0).sample(X, random_state=0)

    for row in range(3):
        assert not np.array_equal(X_synthetic[row], X[row]), row


def test_sample_duplicate_row_is_neighbour():
    X = np.array([[0.0, 0.0], [5.0, 5.0], [0.0, 0.0], [9.0, 1.0]])

    X_synthetic = MUNGE(size=1, swap_probability=1.0, local_variance=NO_SPREAD).sample(
        X, random_state=0
    )

    np.testing.assert_allclose(X_synthetic[0], [0.0, 0.0], atol=1e-9)
    np.testing.assert_allclose(X_synthetic[2], [0.0, 0.0], atol=1e-9)


def test_sample_distance_standardises_columns():
    # Raw Euclidean distance makes row 1 the neighbour of row 0 (distance 1
    # against 3), but column 0 spreads far wider than column 1, so after
    # division by each column's standard deviation row 2 is nearer. The
    # constant last column must add nothing and must not give NaN.
    X = np.array(
        [
            [0.0, 0.0, 5.0],
            [0.0, 1.0, 5.0],
            [3.0, 0.0, 5.0],
            [100.0, 0.5, 5.0],
        ]
    )

    X_synthetic = MUNGE(size=1, swap_probability=1.0, local_variance=NO_SPREAD).sample(
        X, random_state=0
    )

    np.testing.assert_allclose(X_synthetic[0], [3.0, 0.0, 5.0], atol=1e-9)


def test_sample_chunked_search_agrees():
    # A tiny working memory makes the neighbour search take one row per chunk.
    frame = make_mixed_frame(n_samples=30)
    expected = MUNGE(swap_probability=1.0).sample(frame, random_state=0)

    with config_context(working_memory=0.001):
        frame_synthetic = MUNGE(swap_probability=1.0).sample(frame, random_state=0)

    pd.testing.assert_frame_equal(frame_synthetic, expected)


def make_group_distance_frame():
    # Row 0 differs from row 1 in c and d, and from row 2 in the one-hot block
    # only: one attribute as a group, but two differing columns.
    return pd.DataFrame(
        {
            "g0": [1, 1, 0],
            "g1": [0, 0, 1],
            "g2": [0, 0, 0],
            "c": ["a", "b", "a"],
            "d": ["p", "q", "p"],
        }
    )


def test_sample_group_counts_once_in_distance():
    frame = make_group_distance_frame()
    munge = MUNGE(
        size=1,
        swap_probability=1.0,
        categorical_features=[["g0", "g1", "g2"], "c", "d"],
    )

    frame_synthetic = munge.sample(frame, random_state=0)

    assert frame_synthetic.iloc[0].tolist() == frame.iloc[2].tolist()


def test_sample_group_compares_every_column():
    # Rows 0 and 2 agree on the group's first column but not on the others, so
    # they are at distance 1, which ties with row 1 and the tie goes to row 1.
    frame = pd.DataFrame(
        {
            "g0": [0, 0, 0],
            "g1": [1, 1, 0],
            "g2": [0, 0, 1],
            "d": ["p", "q", "p"],
        }
    )
    munge = MUNGE(
        size=1, swap_probability=1.0, categorical_features=[["g0", "g1", "g2"], "d"]
    )

    frame_synthetic = munge.sample(frame, random_state=0)

    assert frame_synthetic.iloc[0].tolist() == frame.iloc[1].tolist()


def test_sample_columns_count_apart_in_distance():
    # Listed one by one, the block differs in 2 columns, which ties with row 1
    # and the tie goes to the lower index.
    frame = make_group_distance_frame()
    munge = MUNGE(
        size=1,
        swap_probability=1.0,
        categorical_features=["g0", "g1", "g2", "c", "d"],
    )

    frame_synthetic = munge.sample(frame, random_state=0)

    assert frame_synthetic.iloc[0].tolist() == frame.iloc[1].tolist()


# Swap probability and local variance


@pytest.mark.parametrize("swap_probability", [0.1, 0.3, 0.8])
def test_sample_swap_share_matches_probability(swap_probability):
    # Every value differs from every other, so a swap always changes the value.
    X = np.array([[f"v{row}"] for row in range(200)], dtype=object)

    X_synthetic = MUNGE(size=5, swap_probability=swap_probability).sample(
        X, random_state=0
    )

    changed = X_synthetic[:, 0] != np.tile(X[:, 0], 5)
    # 1,000 draws: the share's standard error is at most 0.016.
    assert abs(changed.mean() - swap_probability) < 0.06


def test_sample_spread_is_difference_over_local_variance():
    # Row 0's neighbour is row 1, at distance 10, so a replaced value of row 0
    # is drawn from a normal distribution of mean 10 and standard deviation
    # 10 / 5 = 2, which the range [0, 20] clips only 5 deviations away.
    X = np.array([[0.0], [10.0], [20.0]])

    X_synthetic = MUNGE(size=2000, swap_probability=1.0, local_variance=5.0).sample(
        X, random_state=0
    )

    values = X_synthetic[0::3, 0]
    assert abs(values.mean() - 10.0) < 0.2
    assert abs(values.std() - 2.0) < 0.15


# categorical_features


def test_sample_auto_object_array_copies_values():
    X = np.array([[1.5, "a"], [2.5, "b"], [4.0, "a"]], dtype=object)

    X_synthetic = MUNGE(size=5, swap_probability=1.0).sample(X, random_state=0)

    assert set(X_synthetic[:, 0]) <= {1.5, 2.5, 4.0}


def test_sample_auto_numeric_array_perturbs_values():
    X = np.array([[1.5], [2.5], [4.0]])

    X_synthetic = MUNGE(size=5, swap_probability=1.0).sample(X, random_state=0)

    assert not set(X_synthetic[:, 0]) <= {1.5, 2.5, 4.0}


def test_sample_none_makes_every_column_continuous():
    X = np.array([[1.5, "2"], [2.5, "7"], [4.0, "9"]], dtype=object)

    X_synthetic = MUNGE(size=5, categorical_features=None).sample(X, random_state=0)

    assert not set(X_synthetic[:, 1]) <= {"2", "7", "9"}


@pytest.mark.parametrize(
    "categorical_features",
    [
        [["g0", "g1", "g2", "g3"]],
        [[0, 1, 2, 3]],
        [(0, 1, 2, 3)],
        [np.array([0, 1, 2, 3])],
        [pd.Index(["g0", "g1", "g2", "g3"])],
        [[-5, -4, -3, -2]],
        [["g0", 1, "g2", 3]],
    ],
    ids=["names", "indices", "tuple", "ndarray", "index", "negative", "mixed"],
)
def test_sample_group_forms_agree(categorical_features):
    frame = make_one_hot_frame()
    expected = MUNGE(categorical_features=[[0, 1, 2, 3]]).sample(frame, random_state=0)

    frame_synthetic = MUNGE(categorical_features=categorical_features).sample(
        frame, random_state=0
    )

    pd.testing.assert_frame_equal(frame_synthetic, expected)


@pytest.mark.parametrize(
    "categorical_features",
    [
        ["colour", "city", "code", "flag"],
        [2, 3, 4, 5],
        [False, False, True, True, True, True, False],
        np.array([False, False, True, True, True, True, False]),
        "auto",
    ],
    ids=["names", "indices", "mask", "mask-array", "auto"],
)
def test_sample_column_forms_agree(categorical_features):
    frame = make_mixed_frame()
    expected = MUNGE(categorical_features=[2, 3, 4, 5]).sample(frame, random_state=0)

    frame_synthetic = MUNGE(categorical_features=categorical_features).sample(
        frame, random_state=0
    )

    pd.testing.assert_frame_equal(frame_synthetic, expected)


# Input left unchanged


def test_sample_does_not_modify_array():
    X = make_array()
    X_before = X.copy()

    MUNGE(swap_probability=1.0).sample(X, random_state=0)

    np.testing.assert_array_equal(X, X_before)


def test_sample_does_not_modify_frame():
    frame = make_mixed_frame()
    frame_before = frame.copy()

    MUNGE(swap_probability=1.0).sample(frame, random_state=0)

    pd.testing.assert_frame_equal(frame, frame_before)


# Parameters: construction, get_params, validation


def test_munge_get_and_set_params():
    munge = MUNGE(size=3, categorical_features=[0])

    assert munge.get_params() == {
        "size": 3,
        "swap_probability": 0.5,
        "local_variance": 5.0,
        "categorical_features": [0],
    }
    assert munge.set_params(size=7).size == 7
    assert clone(munge).get_params()["size"] == 7


@pytest.mark.parametrize(
    "param, value",
    [
        ("size", 0),
        ("size", -2),
        ("size", 1.5),
        ("size", "5"),
        ("swap_probability", 0),
        ("swap_probability", -0.1),
        ("swap_probability", 1.1),
        ("local_variance", 0),
        ("local_variance", -1.0),
        ("categorical_features", "all"),
        ("categorical_features", 3),
    ],
)
def test_sample_invalid_param_raises(param, value):
    # Construction accepts any value, and sample validates it.
    munge = MUNGE(**{param: value})

    with pytest.raises(InvalidParameterError, match=f"'{param}' parameter of MUNGE"):
        munge.sample(make_array(), random_state=0)


# Invalid input


def test_sample_sparse_raises():
    X = sparse.csr_matrix(make_array())

    with pytest.raises(ValueError, match=r"sparse csr_matrix.*X\.toarray\(\)"):
        MUNGE().sample(X)


def test_sample_sparse_message_names_synthetic():
    X = sparse.csr_array(make_array())

    with pytest.raises(ValueError, match="DistilledClassifier without synthetic"):
        MUNGE().sample(X)


def test_sample_one_row_raises():
    with pytest.raises(ValueError, match="at least 2 rows in X.*got 1"):
        MUNGE().sample(make_array(n_samples=1))


def test_sample_no_column_raises():
    with pytest.raises(ValueError, match="at least 1 column"):
        MUNGE().sample(np.empty((5, 0)))


@pytest.mark.parametrize("bad_value", [np.nan, np.inf])
def test_sample_array_nan_raises(bad_value):
    X = make_array()
    X[4, 1] = bad_value

    with pytest.raises(ValueError, match="NaN or infinity in the continuous column 1"):
        MUNGE().sample(X)


def test_sample_frame_missing_value_raises():
    frame = make_mixed_frame()
    frame["count"] = frame["count"].astype("Int64")
    frame.iloc[3, 1] = pd.NA

    with pytest.raises(ValueError, match="NaN or infinity.*'count'.*SimpleImputer"):
        MUNGE().sample(frame)


def test_sample_unknown_column_name_raises():
    frame = make_mixed_frame()

    with pytest.raises(ValueError, match="'size_cm', which is not a column of X"):
        MUNGE(categorical_features=["colour", "size_cm"]).sample(frame)


def test_sample_mask_wrong_length_raises():
    with pytest.raises(ValueError, match="mask of length 2, but X has 3 columns"):
        MUNGE(categorical_features=[True, False]).sample(make_array())


def test_sample_index_out_of_range_raises():
    with pytest.raises(ValueError, match="column index 3, but X has 3 columns"):
        MUNGE(categorical_features=[3]).sample(make_array())


def test_sample_name_with_array_raises():
    with pytest.raises(ValueError, match="name 'colour', but X is an array"):
        MUNGE(categorical_features=["colour"]).sample(make_array())


def test_sample_column_listed_twice_raises():
    frame = make_one_hot_frame()

    with pytest.raises(ValueError, match="lists 'g1' more than once"):
        MUNGE(categorical_features=[["g0", "g1"], "g1"]).sample(frame)


def test_sample_empty_group_raises():
    with pytest.raises(ValueError, match="empty group"):
        MUNGE(categorical_features=[[], 0]).sample(make_array())


def test_sample_mixed_mask_raises():
    with pytest.raises(ValueError, match="mixes booleans with other entries"):
        MUNGE(categorical_features=[True, 1, False]).sample(make_array())


def test_sample_invalid_entry_raises():
    with pytest.raises(ValueError, match="got 1.5 of type float"):
        MUNGE(categorical_features=[1.5]).sample(make_array())


def test_sample_duplicate_name_raises():
    frame = pd.DataFrame([["a", "b"], ["c", "d"]], columns=["x", "x"])

    with pytest.raises(ValueError, match="'x', which names 2 columns"):
        MUNGE(categorical_features=["x"]).sample(frame)


def test_sample_list_of_dicts_raises():
    X = [{"a": 1.0}, {"a": 2.0}]

    with pytest.raises(TypeError, match="list of dicts.*DictVectorizer"):
        MUNGE().sample(X)


def test_sample_dict_raises():
    with pytest.raises(TypeError, match=r"given as a dict.*pandas\.DataFrame"):
        MUNGE().sample({"a": [1.0, 2.0]})


@pytest.mark.parametrize("shape", [(6,), (2, 3, 2)])
def test_sample_not_2d_raises(shape):
    X = np.zeros(shape)

    with pytest.raises(ValueError, match=r"2-D X.*got shape"):
        MUNGE().sample(X)


def test_sample_ragged_list_raises():
    with pytest.raises(ValueError, match="could not convert X to a 2-D array"):
        MUNGE().sample([[1.0, 2.0], [3.0]])


def test_sample_datetime_array_raises():
    X = np.array([["2024-01-01"], ["2024-02-01"]], dtype="datetime64[D]")

    with pytest.raises(ValueError, match=r"X has dtype datetime64\[D\]"):
        MUNGE().sample(X)


def test_sample_frame_non_numeric_continuous_raises():
    frame = pd.DataFrame(
        {
            "when": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"]),
            "x": [1.0, 2.0, 3.0],
        }
    )

    with pytest.raises(
        ValueError, match="neither numeric nor listed in categorical_features: 'when'"
    ):
        MUNGE().sample(frame)


def test_sample_str_array_continuous_raises():
    X = np.array([["a", "1"], ["b", "2"]])

    with pytest.raises(ValueError, match="str array.*leaves out column 1"):
        MUNGE(categorical_features=[0]).sample(X)


def test_sample_object_array_non_number_raises():
    X = np.array([[1.0, "a"], [2.0, "b"]], dtype=object)

    with pytest.raises(ValueError, match="continuous column 1 of the object array"):
        MUNGE(categorical_features=None).sample(X)
